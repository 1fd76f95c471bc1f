from asylum_sim.cli.main import run

run()
