# Organise's messages in British English: the reference catalogue, complete.
#
# Each message becomes a function of `crate::i18n::t` (`sign-in` → `t::sign_in()`).
# A variable used as a plural selector or in NUMBER() is a count; in DATETIME(), a moment.
# Prefixes group messages by screen; the doorstep's groups must be complete in Welsh
# (see DOORSTEP in src/i18n.rs).

-app = Organise

## The app's frame

app-name = { -app }
app-nav-main = Main
app-nav-lists = Lists
app-nav-people = People
app-nav-settings = Settings
app-loading = Loading…
app-not-found = Page not found
app-go-to-start = Go to the start
app-update-available = A new version of { -app } is available.
app-update-now = Update now

## Counts, worded the same on every screen

count-doors = { $count ->
    [one] { $count } door
   *[other] { $count } doors
}
count-people = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
count-conversations = { $count ->
    [one] { $count } conversation
   *[other] { $count } conversations
}
count-changes = { $count ->
    [one] { $count } change
   *[other] { $count } changes
}
show-more-doors = { $count ->
    [one] Show { $count } more door
   *[other] Show { $count } more doors
}
show-more-people = { $count ->
    [one] Show { $count } more person
   *[other] Show { $count } more people
}

## The sync bar

sync-status = Sync status
sync-less-than-a-minute = less than a minute
sync-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
sync-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
sync-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
sync-updating = { -app } is updating. Close it in your other tabs and windows to finish.
sync-other-tab = { -app } is open in another tab or window. Close it to work here.
sync-signed-out = Signed out on the server: sign in again to sync. Nothing on this phone is lost.
sync-syncing = Syncing…
sync-offline = Offline.
sync-synced-ago = Synced { $ago } ago.
sync-never = Not synced yet.
sync-all-sent = All changes sent.
sync-waiting-since = { $count ->
    [one] { $count } change waiting to be sent, for { $ago }.
   *[other] { $count } changes waiting to be sent, for { $ago }.
}
sync-waiting = { $count ->
    [one] { $count } change waiting to be sent.
   *[other] { $count } changes waiting to be sent.
}
sync-sign-in-again = Sign in again
sync-conflicts = { $count ->
    [one] { $count } conflict
   *[other] { $count } conflicts
}
sync-rejected = { $count ->
    [one] { $count } rejected change
   *[other] { $count } rejected changes
}
sync-reload = Reload
sync-now = Sync now

## Signing in

sign-in = Sign in
sign-in-email = Email
sign-in-password = Password

## The start screen

home-hello = Hello, { $name }
home-start = Start
home-walk-lists = Walk lists
home-people = People
home-results = Listening results
home-conflicts = Conflicts
home-rejected = Rejected changes
home-settings = Settings
home-signing-out = Signing out
home-sign-out-wipes = Signing out removes everyone's details from this phone.
home-sign-out-warning = { $count ->
    [one] { $count } change has not reached the server yet. Signing out now deletes it from this phone for good.
   *[other] { $count } changes have not reached the server yet. Signing out now deletes them from this phone for good.
}
home-sign-out = Sign out
home-sign-out-and-delete = Sign out and delete them

## Settings

settings = Settings
settings-language = Language
settings-language-device = As this device is set ({ $language })
settings-this-device = This device

## Storage on this device

storage-checking = Checking storage…
storage-unknown = This browser does not say how it keeps the app's data.
storage-kept = Storage: kept by the browser.
storage-may-be-cleared = Storage: may be cleared by the browser if the device runs short of space.
storage-using-of = Using { $used } of { $available } available.
storage-using = Using { $used }.
storage-usage-unknown = The browser does not say how much room the app uses.

## Dates

date-short = { $day } { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
} { $year }
