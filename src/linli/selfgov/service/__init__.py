"""Writes of self-government, by subject: `bodies` (the registers of seats), `meetings` (calling, attendance,
quorum, rescheduling), `votes` (motions, recorded votes and paper ballots, confirmation, recounts, decisions)
and `matters` (四议两公开 step by step, suspension and resumption). Each write is audited (`selfgov.*`)."""
