#!/usr/bin/env bash
# Mutation testing of the modules that guard people's data and the workflow (not part of CI).
#
#   pip install -e '.[mutation]'          # mutmut
#   tools/mutation.sh                     # everything below
#   tools/mutation.sh 'linli.authz.*'     # the mutants of some functions only (mutmut name globs)
#   MUTATION_CHILDREN=1 tools/mutation.sh # one process
#
# mutmut mutates the functions named in MUTANTS below (the files are listed in pyproject.toml's
# [tool.mutmut], with the tests that run), in a copy of src/ under mutants/, and runs for each mutant
# only the tests that reached the mutated function, on SQLite in one process. Then
# tools/mutation_tables.py mutates the data mutmut leaves alone (it mutates code inside functions
# only): the event workflow's table of actions and the roles' event permissions. Both print what
# survived; `mutmut show <name>` shows a mutant's diff. Survivors known to be equivalent are listed,
# with the reason, in tools/mutation_equivalent.txt, and are not counted against the score.
set -euo pipefail
cd "$(dirname "$0")/.."

MUTANTS=(
  'linli.authz.scope.*'
  'linli.authz.principal.*'
  'linli.events.workflow.*'
  # the workflow's gates as events.service applies them
  'linli.events.service.x_get_event__*'
  'linli.events.service.x_sees_personal__*'
  'linli.events.service.x_staff_over__*'
  'linli.events.service.x_may__*'
  'linli.events.service.x_authorize__*'
  'linli.events.service.x_transition__*'
  'linli.events.service.x__merge_target__*'
  'linli.events.service.x_supervise__*'
  # ID and phone masking
  'linli.residents.idcard.x_mask_id__*'
  'linli.kit.phone.x_mask_phone__*'
  'linli.residents.pii.x_open_id__*'
  'linli.residents.pii.x_open_phone__*'
  # the audit chain's verification
  'linli.audit.service.x_entry_hash__*'
  'linli.audit.service.x__entries__*'
  'linli.audit.service.x_verify_chain__*'
  # the warning issuer's checks
  'linli.alerts.checks.x_check_scope__*'
  'linli.alerts.checks.x_check_previous__*'
)
if [ $# -gt 0 ]; then MUTANTS=("$@"); fi

# A fresh copy each time: mutmut keeps results between runs, and a stale copy of src/ would be tested.
rm -rf mutants
# Not PYTHONPATH=src: mutmut puts its mutated copy (mutants/src) first on the path itself.
unset PYTHONPATH
mutmut run --max-children "${MUTATION_CHILDREN:-2}" "${MUTANTS[@]}" | tr '\r' '\n' | tail -n 3
status=0
python tools/mutation_report.py "${MUTANTS[@]}" || status=1
if [ $# -eq 0 ]; then
  python tools/mutation_tables.py || status=1
fi
exit $status
