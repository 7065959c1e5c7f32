## The organiser's dashboard on the home screen

dashboard-heading = Your week at a glance
dashboard-one-to-ones = One-to-ones this week
dashboard-of-target = { NUMBER($count) } of { NUMBER($target) }
dashboard-next-steps = { NUMBER($overdue) } next steps overdue, { NUMBER($due) } due this week
dashboard-meetings = Meetings
dashboard-meetings-coming = { $count ->
    [one] { $count } in the next 7 days
   *[other] { $count } in the next 7 days
}
dashboard-next-meeting = Next: { $title }, { $when }
dashboard-ladder = The ladder
dashboard-on-ladder = { $count ->
    [one] { $count } person on the ladder
   *[other] { $count } people on the ladder
}
dashboard-moved = { $count ->
    [one] { $count } move in the last 30 days
   *[other] { $count } moves in the last 30 days
}
dashboard-issues = Top issues, last 7 days
dashboard-no-issues = No issues raised in the last 7 days.
dashboard-issue = { $issue }: { $count ->
    [one] { $count } conversation
   *[other] { $count } conversations
}
dashboard-campaigns = Campaigns
dashboard-campaigns-active = { NUMBER($count) } active
dashboard-campaigns-exploring = { NUMBER($count) } being explored
dashboard-sync = Waiting to sync
dashboard-waiting = { $what } waiting to be sent.
dashboard-all-sent = Everything is sent.
