"""Writes of self-government, by subject: `bodies` (the registers of seats), `meetings` (calling, attendance,
quorum, rescheduling), `votes` (motions, recorded votes and paper ballots, confirmation, recounts, decisions)
and `matters` (四议两公开 step by step, suspension and resumption). Each write is audited (`selfgov.*`)."""

# The board's publication listener (disclosures subscribes when imported): whoever writes through selfgov's
# service has it, so a published item of step ⑤/⑥ records its step wherever it is published.
from linli.selfgov.service import disclosures as disclosures  # noqa: E402
