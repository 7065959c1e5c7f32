## The start screen

home-hello = Hello, { $name }
home-start = Start
home-walk-lists = Walk lists
home-people = People
home-results = Listening results
home-meetings = Meetings
home-week = My week
home-ladder = The ladder
home-map = Community map
home-volunteers = Find volunteers
home-training = Training
home-campaigns = Campaigns
home-invite = Invite people
home-conflicts = Conflicts
home-audit = Audit log
home-retention = Retention
home-rejected = Rejected changes
home-settings = Settings
home-signing-out = Signing out
home-sign-out-wipes = Signing out removes everyone's details from this phone.
# $what says what waits ("2 doors and 1 conversation"); $count is how many it names.
home-sign-out-warning = { $what } { $count ->
    [one] has not reached the server yet. Signing out now deletes it from this phone for good.
   *[other] have not reached the server yet. Signing out now deletes them from this phone for good.
}
home-sign-out = Sign out
home-sign-out-and-delete = Sign out and delete them
# Leaves the warning about unsent changes, keeping them and staying signed in.
home-sign-out-cancel = Cancel
