"""What if: replay a case and a variant of it (events moved, left out or added) and say
what differs; ``--sweep`` replays a whole range of shifts of one event."""
