## Map y gymuned: sefydliadau, eu pobl a'n perthynas â nhw, cysylltiadau, y graff, bylchau
##
## The community map is "Map y gymuned", as home-map in home.ftl. An organisation is "sefydliad"
## (masculine: "Ei enw"); a relationship is "perthynas" (plural "perthnasoedd"); a ward is "ward"
## (feminine: "y ward hon", "ei pherthnasoedd"); a link is "cyswllt" (masculine, "yn gyswllt").
## A one-to-one is "sgwrs un-i-un", as in week.ftl; listening is "gwrando", as in home.ftl.

map-title = Map y gymuned
map-for-organisers = Trefnwyr sy'n cadw map y gymuned: yr ysgolion, y grwpiau ffydd, yr undebau, y cymdeithasau tenantiaid a'r grwpiau eraill mewn ardal, pwy sy'n eu harwain, a pha mor bell mae ein perthynas â nhw wedi dod.
map-area = Ardal
map-area-note = Sefydliadau yn yr ardal ac yn yr ardaloedd oddi mewn iddi. Dewiswch ward i weld graff ei pherthnasoedd.
map-organisations = Sefydliadau
map-none = Does dim sefydliadau ar y map yma eto.
map-someone = Rhywun nad yw ar y ddyfais hon
map-person-role = { $name } ({ $role })
map-leaders = Arweinwyr
map-contacts = Pobl gyswllt
map-members = Aelodau
map-last-contact = Cysylltiad diwethaf: { $date }
map-no-contact = Dim cysylltiad eto
map-stage-of = Perthynas gyda { $name }
map-stage-saved = Wedi'i gadw.
map-kind-school = Ysgol
map-kind-faith-group = Grŵp ffydd
map-kind-union = Undeb llafur
map-kind-tenants = Cymdeithas tenantiaid neu breswylwyr
map-kind-community-group = Grŵp cymunedol
map-kind-charity = Elusen
map-kind-local-party = Plaid leol
map-kind-other = Arall
map-stage-not-contacted = Heb gysylltu eto
map-stage-contacted = Wedi cysylltu
map-stage-met = Wedi cwrdd
map-stage-partner = Partner
map-stage-declined = Wedi gwrthod am y tro
map-link-leader = Arweinydd ar
map-link-contact = Ein cyswllt yn
map-link-member = Aelod o
map-link-knows = Yn adnabod
map-link-family = Yn perthyn i
map-link-neighbour = Cymydog i
map-link-colleague = Cydweithiwr i
map-link-introduced = Wedi cyflwyno
map-graph = Perthnasoedd
map-graph-note = Sefydliadau yn y canol, pobl o'u cwmpas; mae pob llinell yn gyswllt sydd wedi'i restru uchod.
map-graph-empty = Does dim byd yn y ward hon wedi'i gysylltu eto.
map-graph-too-big = Mae gormod o sefydliadau a phobl yn y ward hon i'w dangos mewn graff; mae pob un ohonyn nhw yn y rhestr uchod.
map-add = Ychwanegu sefydliad
map-name = Ei enw
map-kind = Math o sefydliad
map-where = Ble mae'r sefydliad
map-choose-area = Dewiswch ble mae'r sefydliad.
map-add-save = Ychwanegu'r sefydliad
map-added = Mae { $name } ar y map.
map-link = Cysylltu rhywun
map-link-person = Pwy (chwilio amdanyn nhw yn ôl enw, ffôn neu e-bost)
map-change-person = Rhywun arall
map-choose-person = Dewch o hyd i'r person i'w gysylltu, a'i ddewis.
map-link-kind = Sut maen nhw'n gysylltiedig
map-link-organisation = Â pha sefydliad
map-choose-organisation = Dewiswch sefydliad
map-link-other = Â phwy (chwilio amdanyn nhw yn ôl enw, ffôn neu e-bost)
map-role = Eu rôl yno (dewisol)
map-link-save = Cadw'r cyswllt
map-linked = Wedi'u cysylltu.
map-gaps = Bylchau
map-gaps-note = { NUMBER($days) ->
    [zero] Ar gyfer pob ward, y mathau o sefydliad nad oes neb wedi bod mewn cysylltiad â nhw yn y { $days } diwrnod diwethaf, ochr yn ochr â'r gwrando a fu yno yn yr un cyfnod.
    [one] Ar gyfer pob ward, y mathau o sefydliad nad oes neb wedi bod mewn cysylltiad â nhw yn y diwrnod diwethaf, ochr yn ochr â'r gwrando a fu yno yn yr un cyfnod.
    [two] Ar gyfer pob ward, y mathau o sefydliad nad oes neb wedi bod mewn cysylltiad â nhw yn y { $days } ddiwrnod diwethaf, ochr yn ochr â'r gwrando a fu yno yn yr un cyfnod.
    [few] Ar gyfer pob ward, y mathau o sefydliad nad oes neb wedi bod mewn cysylltiad â nhw yn y { $days } diwrnod diwethaf, ochr yn ochr â'r gwrando a fu yno yn yr un cyfnod.
    [many] Ar gyfer pob ward, y mathau o sefydliad nad oes neb wedi bod mewn cysylltiad â nhw yn y { $days } diwrnod diwethaf, ochr yn ochr â'r gwrando a fu yno yn yr un cyfnod.
   *[other] Ar gyfer pob ward, y mathau o sefydliad nad oes neb wedi bod mewn cysylltiad â nhw yn y { $days } diwrnod diwethaf, ochr yn ochr â'r gwrando a fu yno yn yr un cyfnod.
}
map-gaps-ward = Ward
map-gaps-kinds = Dim cysylltiad mewn 90 diwrnod
map-gaps-conversations = Sgyrsiau a gafwyd
map-gaps-one-to-ones = Sgyrsiau un-i-un
map-gaps-none = Dim: mae pob math mewn cysylltiad.
