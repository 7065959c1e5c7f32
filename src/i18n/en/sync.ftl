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
# Synced less than a minute ago.
sync-synced-just-now = Synced just now.
sync-never = Not synced yet.
sync-all-sent = All changes sent.
# $what names the work ("2 doors, 1 conversation and 1 other change"); $count is how many
# things it names, for the verb.
sync-waiting-since = { $what } { $count ->
    [one] is
   *[other] are
} waiting to be sent, for { $ago }.
sync-waiting = { $what } { $count ->
    [one] is
   *[other] are
} waiting to be sent.
sync-other-changes = { $count ->
    [one] { $count } other change
   *[other] { $count } other changes
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
sync-dropped = { $count ->
    [one] { $count } change made on this phone was not sent: the person it was about has been erased.
   *[other] { $count } changes made on this phone were not sent: the person they were about has been erased.
}
sync-dropped-seen = OK
sync-reload = Reload
sync-now = Sync now
sync-stuck = Your changes are kept on this phone but cannot be sent: { $why }. Tell your organiser.
sync-push-refused = The server refused the changes: { $why }.
sync-pull-refused = The server refused to sync: { $why }.
