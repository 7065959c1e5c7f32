## The start screen

home-hello = Helo, { $name }
home-start = Dechrau
home-walk-lists = Rhestrau canfasio
home-people = Pobl
home-results = Canlyniadau gwrando
home-meetings = Cyfarfodydd
home-week = Fy wythnos
home-ladder = Yr ysgol
home-map = Map y gymuned
home-volunteers = Dod o hyd i wirfoddolwyr
home-training = Hyfforddiant
home-campaigns = Ymgyrchoedd
home-invite = Gwahodd pobl
home-conflicts = Gwrthdaro
home-audit = Log archwilio
home-retention = Cadw data
home-rejected = Newidiadau a wrthodwyd
home-settings = Gosodiadau
home-signing-out = Allgofnodi
home-sign-out-wipes = Mae allgofnodi yn dileu manylion pawb o'r ffôn hwn.
home-sign-out-warning = { $count ->
    [one] Nid yw { $what } wedi cyrraedd y gweinydd eto. Mae allgofnodi nawr yn ei ddileu o'r ffôn hwn am byth.
   *[other] Nid yw { $what } wedi cyrraedd y gweinydd eto. Mae allgofnodi nawr yn eu dileu o'r ffôn hwn am byth.
}
home-sign-out = Allgofnodi
home-sign-out-and-delete = Allgofnodi a'u dileu
# Leaves the warning about unsent changes, keeping them and staying signed in.
home-sign-out-cancel = Canslo
