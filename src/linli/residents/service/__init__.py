"""The register's services: what the routes call to read (permission checked, masked) and to change it
(checked, audited, in the history). Every write of the register goes through them.

`persons` (the loaders of persons, households and buildings; register, read, find, edit, tags) is
re-exported here: `service.register_person`, `service.load_household`. The others are reached as
submodules: `service.households` (buildings and households), `service.history` (moves, deaths, splits,
merges, and the history read back), `service.counts` (an area's persons by tag and age band).
"""

from linli.residents.service.persons import (
    REVEAL,
    R,
    W,
    add_tag,
    age_on,
    check_id_number,
    end_tag,
    find_persons,
    live_grid,
    load_building,
    load_household,
    load_person,
    person_out,
    persons_out,
    read_person,
    register_person,
    tag_out,
    update_person,
)

# isort: off
from linli.residents.service import households, history, counts  # noqa: E402  (after persons, which they use)
# isort: on

__all__ = [
    "REVEAL",
    "R",
    "W",
    "add_tag",
    "age_on",
    "check_id_number",
    "counts",
    "end_tag",
    "find_persons",
    "history",
    "households",
    "live_grid",
    "load_building",
    "load_household",
    "load_person",
    "person_out",
    "persons_out",
    "read_person",
    "register_person",
    "tag_out",
    "update_person",
]
