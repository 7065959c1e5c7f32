## Local campaigns: the campaigns on this phone, starting one from a ward's ranked issue, and a campaign's page

campaigns-title = Campaigns
campaigns-intro = Local campaigns on winnable issues, started from what people raise on the doorstep.
campaigns-none = No campaigns on this phone yet.
campaigns-none-organiser = Start one from a ward's ranked issues in the listening results, or here.
campaigns-to-results = Listening results
campaigns-start = Start a campaign
# The link beside one of a ward's ranked issues in the listening results.
campaigns-start-on = Start a campaign on { $issue } in { $ward }
campaigns-group-active = Active
campaigns-group-exploring = Exploring
campaigns-group-finished = { NUMBER($count) ->
    [one] Won or closed: 1 campaign
   *[other] Won or closed: { $count } campaigns
}
campaigns-group-empty = None.
campaigns-status-exploring = Exploring
campaigns-status-active = Active
campaigns-status-won = Won
campaigns-status-closed = Closed
campaigns-in-ward = In { $ward }
campaigns-ward-unknown = a ward not on this phone
campaigns-winnable = Winnable: { NUMBER($n) } of { NUMBER($max) }
campaigns-winnable-unset = How winnable: not judged yet
campaigns-deadline = Deadline: { $date }
campaigns-deadline-passed = Deadline: { $date }, now passed
campaigns-no-deadline = No deadline set
campaigns-next = Next: { $what }
campaigns-next-due = Next: { $what }, due { $date }
campaigns-next-overdue = Overdue, was due { $date }: { $what }
campaigns-nothing-to-do = No actions to do

## Starting a campaign

campaigns-new-title = Start a campaign
campaigns-for-organisers = Campaigns are started and changed by the organisers of their ward. You can read the campaigns near you.
campaigns-ward = Ward
campaigns-choose-ward = Choose a ward
campaigns-issue = Issue, most raised first
campaigns-choose-issue = Choose an issue
campaigns-issue-option = { $issue }: { $conversations }
campaigns-no-wards = No ward you organise has raised an issue in a conversation yet. Campaigns start from what people raise.
campaigns-name = Name
campaigns-goal = What winning looks like
campaigns-goal-note = For example: the council repairs every damp flat on the estate, with a date for each.
campaigns-decider = Who decides
campaigns-decider-note = For example: the council's housing committee.
campaigns-deadline-label = Deadline (optional)
campaigns-winnable-label = How winnable is it?
campaigns-winnable-note = 1 is a long shot, 5 is within reach.
# Read after each choice of how winnable it is: "4 of 5".
campaigns-winnable-of = of { NUMBER($max) }
campaigns-status = Status
campaigns-save = Save campaign
campaigns-choose-a-ward = Choose the ward the campaign is in.
campaigns-choose-an-issue = Choose the issue it takes on.
campaigns-date-invalid = Write the date as day, month and year.

## A campaign's page

campaigns-not-here = This campaign is not on this phone. It may arrive with the next sync.
campaigns-all = All campaigns
campaigns-read-only = Only the ward's organisers change this campaign.
campaigns-goal-heading = What winning looks like
campaigns-decider-heading = Who decides
campaigns-not-said = Not said yet
campaigns-saved = Saved.
campaigns-edit = Change what it is for
campaigns-save-changes = Save changes
campaigns-nothing-changed = Nothing was changed.
campaigns-gathers = { $people }, { $organisations }, { $meetings }, { $lists }
campaigns-count-organisations = { NUMBER($count) ->
    [one] 1 organisation
   *[other] { $count } organisations
}
campaigns-count-meetings = { NUMBER($count) ->
    [one] 1 meeting
   *[other] { $count } meetings
}
campaigns-count-lists = { NUMBER($count) ->
    [one] 1 list
   *[other] { $count } lists
}
campaigns-count-actions = { NUMBER($done) } done, { NUMBER($to_do) } to do, { NUMBER($overdue) } overdue
campaigns-people = People
campaigns-organisations = Organisations
campaigns-meetings = Meetings
campaigns-lists = Walk and call lists
campaigns-none-linked = None yet.
campaigns-remove = Remove
campaigns-remove-named = Remove { $name } from the campaign
campaigns-find-person = Add someone (find them by name, phone or email)
campaigns-add-named = Add { $name }
campaigns-add-organisation = Add an organisation
campaigns-add-meeting = Add a meeting
campaigns-add-list = Add a list
campaigns-choose = Choose one
campaigns-nothing-to-add = Nothing more on this phone to add.
campaigns-add = Add
campaigns-choose-one = Choose one to add.
campaigns-added = { $name } added.
campaigns-removed = { $name } removed.
campaigns-not-on-phone = Not on this phone
campaigns-meeting-option = { $title }, { $date }

## A campaign's actions

campaigns-actions = Actions
campaigns-to-do = To do
campaigns-done = Done
campaigns-no-actions = No actions yet.
campaigns-due = Due { $date }
campaigns-overdue = Overdue: was due { $date }
campaigns-no-due = No due date
campaigns-mark-done = Done
campaigns-mark-done-named = Done: { $what }
campaigns-done-on = Done { $date }
campaigns-action-new = Add an action
campaigns-action-what = What was done, or is to do
campaigns-action-due = Due (optional)
campaigns-action-add = Add action
campaigns-action-added = Action added.
campaigns-action-done = Marked done.
