// Active users: the distinct members with a decision per hour, UTC day and ISO week, kept
// as one counter per bucket (active_users) so a series never counts distinct over the log.
//
// Who was already counted lives in user_days: one row per (member, UTC day) with a bit per
// hour of that day the member was active in. A run of decisions (the CTE `l`: the rows the
// log really took, so a redelivered batch adds nothing) is folded per (member, day) into an
// hour mask and compared with the row as it was before this statement (the statement's
// snapshot does not see its own writes):
//   hour  counted for each bit the row did not have yet,
//   day   counted when the member had no row for that day,
//   week  counted when the member had no row on any day of that ISO week (once per week,
//         however many of its days the run brings).
// Exact in any arrival order (a late decision finds its day's row), one small row per
// member-day instead of a row per granularity. Only what members did counts (join,
// message, verify button): a recheck is Nezuko looking again on its own, and counting it
// would call every recently verified member "active".
//
// Kept rows are what makes a late decision count once; rows older than the verification
// log's retention are pruned with it (retention.ts): a decision arriving later than that
// would count its member again.

/** CTEs appended to the decision statement; needs `l (user_id, occurred_at, trigger)`. */
export const activeUsersCtes = `
  act as (
    select user_id, (occurred_at at time zone 'UTC')::date as day,
           bit_or(1 << extract(hour from occurred_at at time zone 'UTC')::int) as hours
      from l where trigger <> 'recheck' group by 1, 2
  ),
  act_was as (
    select user_id, day, hours & ~coalesce(old, 0) as new_hours, old is null as new_day,
           week,
           -- Only a member's first day in a week can be new to it.
           old is null and not exists (select 1 from user_days w
                                        where w.user_id = a.user_id
                                          and w.day >= a.week and w.day < a.week + 7) as new_week
      from (
        -- One key lookup per member-day, kept a subquery (offset 0) so it runs once a row:
        -- as a join the planner, guessing a CTE's size, hashed the whole of user_days,
        -- which grows with every member ever seen.
        select a.user_id, a.day, a.hours, date_trunc('week', a.day)::date as week,
               (select d.hours from user_days d where d.user_id = a.user_id and d.day = a.day) as old
          from act a offset 0
      ) a
  ),
  act_kept as (
    insert into user_days as d (user_id, day, hours)
    select user_id, day, hours from act
    on conflict (user_id, day) do update set hours = d.hours | excluded.hours
     where d.hours | excluded.hours <> d.hours
  ),
  act_counted as (
    insert into active_users as a (granularity, bucket, users)
    select 'hour', (day + make_interval(hours => h)) at time zone 'UTC', count(*)
      from act_was, generate_series(0, 23) h
     where new_hours <> 0 and new_hours & (1 << h) <> 0 group by 2
    union all
    select 'day', day::timestamp at time zone 'UTC', count(*) from act_was where new_day group by 2
    union all
    select 'week', week::timestamp at time zone 'UTC', count(distinct user_id)
      from act_was where new_week group by 2
    on conflict (granularity, bucket) do update set users = a.users + excluded.users
  )`;
