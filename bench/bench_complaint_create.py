# Benchmark: creating complaints in an ISO 10002 team against plain tickets in a
# non-ISO team, in the same run and database. Run with `make bench` (an Odoo
# shell script: `env` is given). Prints one result line per measurement with
# queries per record and the time ratio complaint / plain.
#
# Target (issue #2): complaints cost at most 1.5x the plain ticket's queries per
# record in batch, and their per-record query count does not grow inside a batch
# more than the plain ticket's does.
import os
import time

N = int(os.environ.get("BENCH_N", "1000"))
cr = env.cr
Ticket = env["helpdesk.ticket"]
phone = env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
email = env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
partner = env["res.partner"].create(
    {"name": "Bench Complainant", "email": "bench@example.org"}
)
iso_team = env["helpdesk.ticket.team"].create(
    {"name": "Bench complaints", "is_iso10002": True}
)
plain_team = env["helpdesk.ticket.team"].create({"name": "Bench support"})
env.flush_all()


def vals(team, i, channel):
    return {
        "name": f"Bench {i}",
        "description": "<p>Bench</p>",
        "team_id": team.id,
        "partner_id": partner.id,
        "channel_id": channel.id,
    }


def measure(team, n, channel, batch=True):
    env.flush_all()
    env.invalidate_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    if batch:
        Ticket.create([vals(team, i, channel) for i in range(n)])
    else:
        for i in range(n):
            Ticket.create(vals(team, i, channel))
            env.flush_all()
    env.flush_all()
    cr.precommit.run()  # tracking, as at commit
    return cr.sql_log_count - queries, time.perf_counter() - start


def line(label, n, plain, complaint):
    (pq, pt), (cq, ct) = plain, complaint
    print(
        f"{label}: n={n} plain {pq / n:.2f} q/rec {pt / n * 1000:.2f} ms/rec | "
        f"complaint {cq / n:.2f} q/rec {ct / n * 1000:.2f} ms/rec | "
        f"ratio queries {cq / pq:.2f}x time {ct / pt:.2f}x"
    )
    return cq / pq


# warm-up (caches, prepared sequences), not measured
measure(plain_team, 5, phone)
measure(iso_team, 5, phone)

ratio = line(
    "create_batch", N, measure(plain_team, N, phone), measure(iso_team, N, phone)
)
one = max(N // 10, 10)
line(
    "create_one_by_one",
    one,
    measure(plain_team, one, phone, batch=False),
    measure(iso_team, one, phone, batch=False),
)
# growth inside a batch: marginal queries per record between n/2 and n
half = max(N // 2, 1)
p_half, p_full = measure(plain_team, half, phone)[0], measure(plain_team, N, phone)[0]
c_half, c_full = measure(iso_team, half, phone)[0], measure(iso_team, N, phone)[0]
p_marg = (p_full - p_half) / (N - half)
c_marg = (c_full - c_half) / (N - half)
print(
    f"batch_growth: marginal q/rec plain {p_marg:.2f} complaint {c_marg:.2f} "
    f"ratio {c_marg / p_marg:.2f}x"
)
line(
    "create_batch_email_ack",
    max(N // 10, 10),
    measure(plain_team, max(N // 10, 10), email),
    measure(iso_team, max(N // 10, 10), email),
)
verdict = "PASS" if ratio <= 1.5 and c_marg <= 1.5 * p_marg else "FAIL"
print(f"target: batch queries <= 1.5x plain and no extra growth: {verdict}")
cr.rollback()
