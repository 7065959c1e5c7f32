## Listening results

results = Listening results
results-intro = What people raise on the doorstep: the issues to build campaigns on.
results-period = Period
results-last-7-days = Last 7 days
results-last-30-days = Last 30 days
results-all-time = All time
results-area = Area
# An area in the chooser: its name and its kind.
results-area-choice = { $name } ({ $kind ->
    [country] country
    [nation] nation
    [region] region
    [constituency] constituency
    [ward] ward
   *[unknown] { $kind }
})
results-your-area = Your area
# Said under the chooser when the area chosen is no longer on this phone; $area is the one shown instead.
results-area-gone = The area you had chosen is no longer on this phone, so these results are for { $area }.
results-loading = Your data is still loading.
results-no-area = You have no area to see results for. Ask an admin of your area for a role.
results-no-conversations = No conversations in this period yet. Conversations recorded on the doorstep appear here; try a longer period or a wider area.
results-total = { $held ->
    [one] { $held } conversation
   *[other] { $held } conversations
} held, out of { $knocked ->
    [one] { $knocked } door
   *[other] { $knocked } doors
} knocked.

## Issues and their stories

results-issues = Issues raised
results-no-issues = No issues raised in held conversations in this period yet. Note the issues people raise when you record a conversation.
results-issues-intro = Held conversations that raised each issue, most first.
# A broader issue that an issue belongs to.
results-part-of = Part of { $issue }
# The button that shows an issue's stories; screen readers read results-stories-about.
results-stories = Stories
results-stories-about = Stories about { $issue }
results-no-stories = No stories about { $issue } from this period and area yet. Stories recorded with a conversation that raised it appear here.
results-teller-not-on-this-phone = Someone not on this phone
results-teller-anonymised = Shared without their name
results-teller-private = Private: for organisers only
results-story-private = Only the person who recorded this private story can read it here.
results-recorded-by = Recorded by { $name }
results-recorded-by-unknown = Recorded by someone not on this phone

## By ward

results-wards = By ward
results-no-wards = No held conversations in this period yet.
results-ward-not-on-this-phone = A ward not on this phone
results-not-in-a-ward = Not in a ward
results-ward-held = { $count ->
    [one] { $count } conversation held
   *[other] { $count } conversations held
}
results-ward-no-issues = No issues noted in these conversations.

## How the doors knocked ended

results-outcomes = Outcomes
results-outcomes-intro = How the { $knocked ->
    [one] { $knocked } door
   *[other] { $knocked } doors
} knocked ended. A door where people answered differently that day counts once, under the furthest it went: a talk before a refusal, a refusal before not home.
results-outcome-held = Talked
results-outcome-not-home = Not home
results-outcome-refused = Refused
results-outcome-moved = Moved away
results-outcome-do-not-knock = Asked not to be knocked again
results-outcome-wrong-number = Wrong number

## Lists and volunteers

results-counts = Lists and volunteers
results-held = Held
results-doors-knocked = Doors knocked
results-per-list = Conversations per list
results-list = List
results-list-not-on-this-phone = A list not on this phone
results-not-from-a-list = Not from a list
results-per-volunteer = Conversations per volunteer
results-volunteer = Volunteer
results-volunteer-not-on-this-phone = Someone not on this phone
