"""The ids of the domain catalogue the project started from (states, events, documents,
deadlines, entitlements extracted from the two source texts): the tool's public vocabulary,
kept here once for every test that needs them. docs/catalogue.md lists what the machines
define today."""

DOMAIN_STATES: dict[str, set[str]] = {
    "procedure": {
        "none", "applied", "registered", "lodged", "dublin", "dublin_transfer",
        "admissibility", "at_cgvs", "refugee", "subsidiary_protection", "refused", "appeal",
        "finally_refused",
    },
    "reception": {
        "none", "assigned", "collective", "individual", "no_show", "improper_no_show",
        "no_code_207", "leaving", "otp_assigned", "otp", "otp_postponed", "ended",
    },
    "residence": {
        "none", "applicant", "refugee_temporary", "subsidiary_temporary", "permanent",
        "order_to_leave", "ended",
    },
}
DOMAIN_EVENTS: dict[str, set[str]] = {
    "procedure": {
        "apply", "register", "lodge", "dvz_interview", "dublin_claim",
        "dublin_transfer_decision", "belgium_responsible", "transfer_to_cgvs",
        "declare_admissible", "declare_inadmissible", "cgvs_interview",
        "grant_refugee_status", "grant_subsidiary_protection", "refuse", "appeal",
        "rvv_confirm", "rvv_reform_refugee", "rvv_reform_subsidiary", "rvv_annul",
        "appeal_period_expired",
    },
    "reception": {
        "assign_reception", "arrive", "waitlist", "present_at_dispatching",
        "request_lifting", "lift_code_207", "notify_otp_assignment", "report_at_otp",
        "request_otp_exception", "grant_otp_exception", "extend_stay", "leave_early",
    },
    "residence": {
        "residence_check", "issue_card_a", "renew_card_a", "five_years_since_application",
        "issue_card_b", "end_status", "travel_to_origin",
    },
}
LIFE_EVENTS = {
    "start_employment", "end_employment", "inburgering_invitation", "sign_lease", "move",
    "request_ocmw_support",
}
DOMAIN_DOCUMENTS = {
    "bewijs_van_aanmelding", "bijlage_26", "bijlage_26quinquies", "bijlage_26quater",
    "attest_van_immatriculatie", "erkenningsbeslissing", "beslissing_subsidiaire_bescherming",
    "bgv", "verblijfskaart_a", "verblijfskaart_b",
}
DOMAIN_ACTORS = {"dvz", "cgvs", "rvv", "fedasil", "structure", "municipality", "ocmw", "person"}

# Timer transitions agreed with deadlines.yaml / timers.yaml: (machine, event) -> deadline.
TIMERS = {
    ("procedure", "appeal_period_expired"): "appeal_deadline",
    ("reception", "present_at_structure_expired"): "present_at_structure",
    ("reception", "report_at_otp_expired"): "report_at_otp",
    ("reception", "leave_reception_expired"): "leave_reception",
    ("reception", "leave_after_lifting_expired"): "leave_after_lifting",
    ("reception", "otp_exception_ended"): "otp_exception_end",
    ("reception", "reception_end_after_refusal_expired"): "reception_end_after_refusal",
    ("residence", "five_years_since_application"): "permanent_residence",
}
INTERNAL_EVENTS = {
    "refugee_status_granted", "subsidiary_protection_granted", "final_refusal",
    "dublin_transfer_ordered",
}

DOMAIN_DEADLINES = {
    "register_deadline", "lodge_deadline", "present_at_structure", "work_access",
    "appeal_deadline", "report_at_otp", "otp_exception_request", "otp_exception_renewal",
    "leave_reception", "leave_after_lifting", "inburgering_registration",
    "family_reunification_lenient", "permanent_residence", "card_a_expiry",
    "reception_evaluation", "transfer_decision", "school_enrolment", "dutch_a1_after_lease",
}
DOMAIN_ENTITLEMENTS = {
    "stay_during_procedure", "material_reception", "ocmw_social_assistance", "leefloon",
    "medical_costs_fedasil", "medical_costs_ocmw", "urgent_medical_aid", "health_insurance",
    "work_employee", "work_self_employed", "volunteer_work", "dutch_courses",
    "inburgering_obligation", "family_reunification", "social_housing", "no_travel",
    "travel_document", "compulsory_schooling", "pro_deo_lawyer", "diploma_recognition_free",
    "flemish_social_protection",
}
