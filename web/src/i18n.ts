// UI text. Every string the user reads goes through t(), so a translation is a new dictionary and
// nothing else (the shape excalidraw enforces with its lint rule on literal JSX text).

/** A message: plain text, or plural forms chosen by the `count` variable. */
type Message = string | { one: string; other: string };

const en = {
  'app.name': 'Civitas',
  'app.tagline': 'Human security',
  'app.skipToMain': 'Skip to main content',
  'app.loading': 'Loading…',

  'banner.label': 'Security marking of this page',

  'topbar.area': 'Area of operations',
  'topbar.noArea': 'No area loaded',
  'topbar.loadingAreas': 'Loading areas…',
  'topbar.exerciseTag': 'EXERCISE',
  'topbar.exerciseHint': 'This area holds exercise data, not real-world data.',
  'topbar.user': 'User',
  'topbar.notSignedIn': 'Not signed in',
  'topbar.darkTheme': 'Dark',
  'topbar.darkThemeHint': 'Dark theme for operations rooms',
  'topbar.notation': 'Notation',
  'notation.military': 'Military',
  'notation.militaryHint': 'MGRS grid references, date-time groups and APP-6 symbols',
  'notation.civil': 'Civil',
  'notation.civilHint': 'Latitude/longitude, ISO dates and plain icons',
  'server.checking': 'Server…',
  'server.ok': 'Server {version} · {database}',
  'server.okHint': 'Civitas server reachable; database {database}; server time {time}',
  'server.down': 'Server unreachable',
  'server.downHint': 'The Civitas server did not answer its health check.',

  'nav.label': 'What you do',
  'nav.understand': 'Understand',
  'nav.understandHint': 'Human environment',
  'nav.protect': 'Protect',
  'nav.protectHint': 'Objects and no-strike lists',
  'nav.plan': 'Plan',
  'nav.planHint': 'Screening',
  'nav.track': 'Track',
  'nav.trackHint': 'Harm, children, CRSV, trafficking',
  'nav.learn': 'Learn',
  'nav.learnHint': 'Lessons, exercises',
  'nav.admin': 'Admin',
  'nav.adminHint': 'Audit trail, user accounts',

  'signIn.title': 'Sign in',
  'signIn.username': 'User name',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.pending': 'Signing in…',
  'signIn.missing': 'Enter your user name and your password.',
  'signIn.expired':
    'Your session has ended. Sign in again to carry on: the page you were on, and any unsaved draft on it, is kept.',
  'signIn.signedOut': 'You have signed out.',
  'signIn.demo':
    'Demo users (EXERCISE): demo-adviser, demo-cimic, demo-targeting, demo-legad, demo-analyst, demo-trainer, demo-partner-un, demo-viewer — the password was printed when the server first started.',
  'signIn.monitored':
    'For authorised users only. Every sign-in and every access to a record is recorded in the audit trail.',

  'user.menu': 'Account',
  'user.menuHint': 'Your account: sign out here or everywhere',
  'user.clearance': 'Clearance',
  'user.clearanceHint': 'Clearance: {level}',
  'user.clearanceLine': 'Clearance: {level}',
  'user.compartment': 'Compartment',
  'user.compartmentHint': 'Compartment: {compartment}',
  'user.organisationsLine': 'Sees releases to: {organisations}',
  'user.compartmentsLine': 'Compartments: {compartments}',
  'user.noCompartments': 'none',
  'user.signOut': 'Sign out',
  'user.signOutEverywhere': 'Sign out everywhere',
  'user.signOutEverywhereHint': 'End every session of your account, on every device',

  'forbidden.title': 'Not available to your role',
  'forbidden.body':
    'Your role does not give access to {path}. Ask an administrator if you need it.',

  'admin.title': 'Administration',
  'admin.subtitle': 'Audit trail and user accounts',

  'audit.title': 'Audit trail',
  'audit.verifying': 'Verifying the hash chain…',
  'audit.verifyFailed': 'The chain could not be verified',
  'audit.intact': { one: 'Chain intact: {count} event', other: 'Chain intact: {count} events' },
  'audit.broken': 'Chain broken at event {seq}: {reason}',
  'audit.brokenSomewhere': 'Chain broken',
  'audit.headHash': 'Latest hash: {hash}',
  'audit.verifyAgain': 'Verify again',
  'audit.actor': 'Actor',
  'audit.action': 'Action',
  'audit.recordType': 'Record type',
  'audit.recordId': 'Record id',
  'audit.from': 'From',
  'audit.to': 'To',
  'audit.apply': 'Apply filters',
  'audit.clear': 'Clear',
  'audit.seq': 'Seq',
  'audit.time': 'Time',
  'audit.at': 'Time (UTC)',
  'audit.actorId': 'Actor id',
  'audit.detail': 'Detail',
  'audit.before': 'Digest before',
  'audit.after': 'Digest after',
  'audit.hash': 'Event hash',
  'audit.more': 'Details',
  'audit.less': 'Hide',
  'audit.none': 'No events match these filters.',
  'audit.range': 'Events {first}–{last} of {total}',
  'audit.previous': 'Previous',
  'audit.next': 'Next',

  'users.title': 'User accounts',
  'users.count': { one: '{count} account', other: '{count} accounts' },
  'users.username': 'User name',
  'users.fullName': 'Name',
  'users.role': 'Role',
  'users.clearance': 'Clearance',
  'users.organisations': 'Releases',
  'users.compartments': 'Compartments',
  'users.created': 'Created',
  'users.status': 'Status',
  'users.actions': 'Actions',
  'users.active': 'Active',
  'users.disabled': 'Disabled',
  'users.demo': 'Demo',
  'users.enable': 'Enable',
  'users.disable': 'Disable',
  'users.enableUser': 'Enable {user}',
  'users.disableUser': 'Disable {user}',
  'users.notSelf': 'You cannot disable your own account.',

  'coming.badge': 'Coming',
  'coming.notice':
    'This capability is being built. This page shows what it will do; it holds no data yet.',
  'coming.heading': 'What it will do',
  'coming.meanwhile': 'Meanwhile, the human environment of the area is on the Understand page.',
  'coming.goUnderstand': 'Open Understand',

  'protect.title': 'Protect',
  'protect.subtitle': 'Protected objects and no-strike lists',
  'protect.register': 'Register',
  'protect.releases': 'Releases',
  'protect.viewsLabel': 'Register and releases',
  'protect.mapLabel': 'Map of protected objects',
  'protect.diffMapLabel': 'Map of the changes in this release',
  'protect.fit': 'Fit all',
  'protect.fitRegisterHint': 'Zoom to every protected object in the register',
  'protect.fitDiffHint': 'Zoom to every object of this release and the one before',
  'protect.backToRegister': 'Open the register',

  'object.kind': 'Protected object',
  'object.ownMarking': 'Marking of this object.',
  'object.nameLatin': 'Name (Latin script)',
  'object.category': 'Category',
  'object.protection': 'Protection basis',
  'object.list': 'List',
  'object.notListed': 'Not on a list',
  'object.restriction': 'Restriction',
  'object.buffer': 'Standoff buffer',
  'object.metres': '{metres} m',
  'object.source': 'Source',
  'object.version': 'Version',
  'object.versionValue': 'v{version} · {at}',
  'object.putOnNsl': 'Put on NSL',
  'object.takeOffList': 'Take off list',

  'history.created': 'Created',
  'history.createdDetail': ' · from {source}',
  'history.updated': 'Changed',
  'history.deleted': 'Deleted',
  'history.fields': 'fields: {fields}',
  'history.version': 'now v{version}',

  'people.you': 'you ({name})',
  'people.user': 'user {id}',

  'register.table': 'Protected objects',
  'register.category': 'Category',
  'register.allCategories': 'All categories',
  'register.list': 'List',
  'register.allLists': 'All',
  'register.onNsl': 'On the NSL',
  'register.onRtl': 'On the RTL',
  'register.onNoList': 'On no list',
  'register.empty': 'The register is empty: import a file of protected objects.',
  'register.emptyReadOnly': 'No protected object released to you is in the register.',
  'register.partial': {
    one: 'Showing the first {shown} of {count} object in the register.',
    other: 'Showing the first {shown} of {count} objects in the register.',
  },

  'export.label': 'Export',
  'export.geojson': 'GeoJSON',
  'export.csv': 'CSV',
  'export.kml': 'KML',
  'export.hint': 'Download as {format}, with its marking',

  'import.open': 'Import…',
  'import.title': 'Import protected objects',
  'import.close': 'Close',
  'import.note':
    'Objects are matched by source and reference: importing a file again updates them. If any item is bad, nothing is written and every bad item is listed.',
  'import.file': 'File',
  'import.fileRequired': 'Choose the file to import.',
  'import.format': 'Format',
  'import.formatHint': 'Guessed from the file name.',
  'import.formatRequired': 'Choose the format of the file.',
  'import.format.geojson': 'GeoJSON',
  'import.format.ndjson': 'NDJSON (one object per line)',
  'import.format.csv': 'CSV with HXL hashtags',
  'import.format.kml': 'KML',
  'import.format.osm': 'OpenStreetMap XML',
  'import.format.osm-pbf': 'OpenStreetMap PBF',
  'import.list': 'Put every object on',
  'import.listNone': 'No list',
  'import.listNsl': 'No-strike list (NSL)',
  'import.listRtl': 'Restricted target list (RTL)',
  'import.listHint': 'Overrides a list named in the file.',
  'import.restriction': 'Restriction',
  'import.restrictionHint': 'What the restriction is: approval level, timing, means.',
  'import.restrictionRequired': 'Say what the restriction is: every RTL entry needs one.',
  'import.source': 'Source name',
  'import.sourceHint': 'Optional; by default the format’s own (osm, geojson…).',
  'import.dryRun': 'Dry run: check the file and report, write nothing',
  'import.check': 'Check file',
  'import.submit': 'Import',
  'import.pending': 'Importing…',
  'import.done': 'Close',
  'import.unreadable': 'The server’s answer was not an import report.',
  'import.failed': {
    one: '{count} bad item among {read} read: nothing was written. Fix it and import again.',
    other: '{count} bad items among {read} read: nothing was written. Fix them and import again.',
  },
  'import.written': 'Imported {read} objects: {inserted} new, {updated} updated.',
  'import.dryRunResult':
    'Dry run: {read} objects read, {inserted} would be new, {updated} would be updated. Nothing was written.',
  'import.errorsCaption': 'Bad items in the file',
  'import.item': 'Index',
  'import.itemHint': '0-based position of the feature, row or element in the file',
  'import.line': 'Line',
  'import.field': 'Field',
  'import.message': 'What is wrong',
  'import.moreErrors': 'The first {shown} of {count} bad items are listed.',

  'releases.intro':
    'A release freezes the objects now on the lists ({nsl} on the NSL, {rtl} on the RTL); a second person approves it.',
  'releases.introLoading':
    'A release freezes the objects now on the lists; a second person approves it.',
  'releases.new': 'New draft',
  'releases.title': 'Title of the release',
  'releases.titleHint': 'For example the phase or the order it supports.',
  'releases.titleRequired': 'Give the release a title.',
  'releases.create': 'Create draft',
  'releases.creating': 'Creating…',
  'releases.cancel': 'Cancel',
  'releases.table': 'Releases',
  'releases.noNumber': 'draft',
  'releases.empty': 'No release yet.',
  'releases.partial': 'The newest {shown} of {count} releases are listed.',
  'releases.status.draft': 'Draft',
  'releases.status.review': 'Under review',
  'releases.status.released': 'Released',

  'release.back': '← All releases',
  'release.number': 'Release {number}',
  'release.unnumbered': 'Not yet released',
  'release.markingTitle': 'Marking of this release: the highest of its objects.',
  'release.status': 'Status',
  'release.objects': 'Objects',
  'release.author': 'Author',
  'release.approver': 'Approver',
  'release.created': 'Created',
  'release.submitted': 'Submitted',
  'release.released': 'Released',
  'release.submit': 'Submit for review',
  'release.submitting': 'Submitting…',
  'release.approve': 'Approve',
  'release.approving': 'Approving…',
  'release.authorCannotApprove':
    'You wrote this release: another authorised person must approve it.',
  'release.draftNote': 'A draft: its author or a targeting officer submits it for review.',
  'release.reviewNote':
    'Under review: a legal adviser or human security adviser who did not write it approves it.',
  'release.diffTitle': 'Changes',
  'release.diffAgainst': 'Changes since release {number} ({title})',
  'release.diffFirst': 'No earlier release: every object is new',
  'release.diffFilter': 'Show only one kind of change',
  'release.diffTable': 'Changes in this release',
  'release.noChanges': 'Nothing changed since the release before.',
  'release.noItems':
    'Your role may not export release items, so only moved objects are placed on the map.',

  'diff.added': 'Added',
  'diff.removed': 'Removed',
  'diff.moved': 'Moved',
  'diff.changed': 'Changed',
  'diff.same': 'Unchanged',
  'diff.movedBy': 'moved {metres} m',
  'diff.fields': 'changed: {fields}',
  'diff.addedDetail': 'new on the lists',
  'diff.removedDetail': 'no longer on the lists',

  'plan.title': 'Plan',
  'plan.subtitle': 'Screening planned actions',
  'plan.point1':
    'Before an action, list the protected objects within the effect radius of each aimpoint, plus each object’s standoff buffer, with distance rings on the map.',
  'plan.point2':
    'Estimate how many people are likely exposed, from population density and the effect area, as a best estimate with a low–high range.',
  'plan.point3':
    'Show every input and rule used, so a legal adviser can follow and sign off the result.',
  'plan.point4':
    'A transparent, documented screening: it supports, and never claims to be, an official collateral damage estimate (CDE).',

  'track.title': 'Track',
  'track.subtitle': 'Civilian harm, children, CRSV and trafficking',
  'track.point1':
    'Civilian harm: take reports from own forces, partners, NGOs, media and the local population; correlate them into incidents by place and time; assess credibility and attribution; record the response (acknowledgement, condolence or ex gratia payment, assistance, referral).',
  'track.point2':
    'Casualties recorded to casualty-recording standards, counted as best, low and high estimates.',
  'track.point3':
    'Children and armed conflict: the six grave violations of the UN monitoring and reporting mechanism, with their verification status; children’s identities stay need-to-know, and small counts show as “<5” outside the compartment.',
  'track.point4':
    'Conflict-related sexual violence: survivor-centred records with consent for every use, no names by default, every access audited.',
  'track.point5':
    'Trafficking in human beings: screen contractors and supply chains for risk indicators, and give personnel a first-response and referral path.',

  'learn.title': 'Learn',
  'learn.subtitle': 'Lessons and exercises',
  'learn.point1':
    'Lessons along the NATO lessons-learned process: observation, analysis, lesson identified, remedial action, lesson learned; each written as Observation, Discussion, Conclusion, Recommendation.',
  'learn.point2':
    'Link each lesson to the records behind it: the screening before an incident, the incident behind a lesson.',
  'learn.point3':
    'Exercises: a main events / main incidents list of human security injects on a timeline, with the expected actions to assess.',
  'learn.point4': 'Exercise data always carries EXERCISE in the banner and on every page.',

  'understand.title': 'Understand',
  'understand.noAreasTitle': 'No area of operations loaded',
  'understand.noAreasBody':
    'An administrator loads an area with the Civitas command-line tool; it then appears here.',
  'understand.created': 'Loaded',
  'understand.source': 'Source',
  'understand.more': 'More about this area',
  'understand.inRegion': 'Places in {region}',
  'understand.showAllPlaces': 'Show all places',
  'understand.less': 'Less',
  'understand.regions': 'Regions',
  'understand.places': 'Places',
  'understand.units': 'Own units',
  'understand.factors': 'Factors',
  'understand.tablesLabel': 'Records of the area',
  'understand.loadFailed': 'Could not be loaded: see the problem in this tab.',
  'understand.loadFailedMark': '!',
  'understand.placesPartial': {
    one: 'The server returned {shown} of {count} place in this area.',
    other: 'The server returned {shown} of {count} places in this area.',
  },

  'table.filter': 'Filter',
  'table.filterPlaceholder': 'Name or code',
  'table.inView': 'In map view only',
  'table.showing': 'Showing {shown} of {total}',
  'table.empty': 'No rows match.',
  'table.none': 'None in this area.',
  'table.loading': 'Loading…',
  'table.noValue': '–',

  'column.name': 'Name',
  'column.code': 'Code',
  'column.places': 'Places',
  'column.population': 'Population',
  'column.listedPopulation': 'Pop. (places)',
  'column.listedPopulationHint':
    'Sum of the population of the listed places in the region, not a census figure.',
  'column.kind': 'Kind',
  'column.region': 'Region',
  'column.position': 'Position',
  'column.role': 'Role',
  'column.sidc': 'SIDC',
  'column.title': 'Title',
  'column.analysis': 'PMESII / ASCOPE',
  'column.analysisHint': 'The PMESII domain and ASCOPE category of the factor',
  'column.topics': 'Topics',
  'column.compartment': 'Comp.',
  'column.category': 'Category',
  'column.list': 'List',
  'column.buffer': 'Buffer',
  'column.bufferHint': 'Standoff buffer in metres: a planned action this close is reviewed.',
  'column.marking': 'Marking',
  'column.releaseNumber': 'No.',
  'column.status': 'Status',
  'column.objects': 'Objects',
  'column.date': 'Date',
  'column.dateHint': 'Released, submitted or created, whichever is latest',
  'column.author': 'Author',
  'column.change': 'Change',
  'column.what': 'What',

  'factors.new': 'New factor',
  'factors.continueDraft': 'Continue draft',
  'factors.export': 'Export CSV',
  'factors.showMatrix': 'Show matrix',
  'factors.hideMatrix': 'Hide matrix',
  'factors.exportHint': 'The factors you may see, as CSV; the first row is the marking.',
  'factors.partial': {
    one: 'The server returned {shown} of {count} factor.',
    other: 'The server returned {shown} of {count} factors.',
  },

  'matrix.caption': 'Factors per PMESII domain (rows) and ASCOPE category (columns)',
  'matrix.corner': 'PMESII × ASCOPE',
  'matrix.cornerLong': 'PMESII domain, ASCOPE category',
  'matrix.total': 'All',
  'matrix.cell': {
    one: '{count} factor: {pmesii}, {ascope}',
    other: '{count} factors: {pmesii}, {ascope}',
  },
  'matrix.rowTotal': { one: '{count} factor: {pmesii}', other: '{count} factors: {pmesii}' },
  'matrix.filterCell': '{pmesii} × {ascope}',
  'matrix.filterRow': '{pmesii}',
  'matrix.showAll': 'Show all factors',
  'matrix.restricted': {
    one: '{compartment}: {count} further factor in a compartment you are not in',
    other: '{compartment}: {count} further factors in a compartment you are not in',
  },

  'factorForm.title': 'New factor in {area}',
  'factorForm.draftNote':
    'The draft is kept while you work elsewhere on this page; it is not saved until you save it.',
  'factorForm.markingPreview': 'The marking this factor will carry.',
  'factorForm.titleLabel': 'Title',
  'factorForm.pmesii': 'PMESII domain',
  'factorForm.ascope': 'ASCOPE category',
  'factorForm.choose': 'Choose…',
  'factorForm.region': 'Region',
  'factorForm.wholeArea': 'Whole area of operations',
  'factorForm.topics': 'Cross-cutting topics',
  'factorForm.summary': 'Summary',
  'factorForm.summaryHint': 'What may be shared with everyone who can read the factor.',
  'factorForm.details': 'Details',
  'factorForm.detailsHint':
    'The full account. Encrypted at rest; name no survivor, child or source.',
  'factorForm.marking': 'Marking',
  'factorForm.classification': 'Classification',
  'factorForm.classificationHint': 'Up to your clearance, {clearance}.',
  'factorForm.releasability': 'Releasable to',
  'factorForm.releasabilityHint': 'None ticked: no release beyond NATO.',
  'factorForm.compartment': 'Compartment',
  'factorForm.compartmentHint': 'A factor in a compartment exists only for its members.',
  'factorForm.noCompartments': 'You are in no compartment.',
  'factorForm.noCompartment': 'None',
  'factorForm.counter': '{count}/{max}',
  'factorForm.save': 'Save factor',
  'factorForm.saving': 'Saving…',
  'factorForm.close': 'Close (keep draft)',
  'factorForm.discard': 'Discard draft',
  'factorForm.titleRequired': 'Give the factor a title.',
  'factorForm.tooLong': 'This has {count} characters; at most {max} are allowed.',
  'factorForm.pmesiiRequired': 'Choose the PMESII domain the factor belongs to.',
  'factorForm.ascopeRequired': 'Choose the ASCOPE category the factor belongs to.',
  'factorForm.tooManyTopics': 'Choose at most {max} topics.',
  'factorForm.classificationRequired': 'Choose a classification.',
  'factorForm.aboveClearance':
    'This is above your clearance ({clearance}): choose a lower classification.',
  'factorForm.invalidMarking': 'This marking is not valid.',
  'factorForm.releaseToOwn':
    'Release the factor to {organisations} (or to the public), or you could not read it back.',
  'factorForm.notInCompartment': 'You are not in the {compartment} compartment.',

  'place.city': 'City',
  'place.town': 'Town',
  'place.village': 'Village',

  'record.label': 'Selected record',
  'record.region': 'Region',
  'record.place': 'Place',
  'record.unit': 'Own unit',
  'record.close': 'Close record',
  'record.zoomTo': 'Zoom to',
  'record.inherited': 'Marking of the area of operations.',
  'record.code': 'Code',
  'record.source': 'Source',
  'record.population': 'Population',
  'record.kind': 'Kind',
  'record.region.in': 'Region',
  'record.mgrs': 'MGRS',
  'record.latLon': 'Lat, lon',
  'record.role': 'Role',
  'record.sidc': 'SIDC',
  'record.placesIn': 'Listed places',
  'record.listedPopulation': 'Population of listed places',
  'record.factor': 'Human security factor',
  'record.ownMarking': 'Marking of this factor.',
  'record.pmesii': 'PMESII domain',
  'record.ascope': 'ASCOPE category',
  'record.topics': 'Topics',
  'record.compartment': 'Compartment',
  'record.noCompartment': 'None',
  'record.wholeArea': 'Whole area',
  'record.updated': 'Last changed',
  'record.summary': 'Summary',
  'record.details': 'Details',
  'record.noText': 'None recorded.',
  'record.tabs': 'Record views',
  'record.history': 'History',

  'map.label': 'Map',
  'map.loading': 'Loading map…',
  'map.noWebgl':
    'The map cannot be drawn: this browser or device offers no WebGL. The tables beside it still work.',
  'map.attribution': 'Basemap: Natural Earth (public domain)',
  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',
  'map.resetBearing': 'Reset bearing to north',
  'map.toggleAttribution': 'Toggle attribution',
  'map.mapRegion': 'Map',
  'map.fitArea': 'Fit area',
  'map.fitAreaHint': 'Zoom to the whole area of operations',
  'map.cluster': {
    one: '{count} object: click to zoom in',
    other: '{count} objects: click to zoom in',
  },

  'layers.title': 'Layers',
  'layers.toggle': 'Show or hide the layer panel',
  'layers.basemap': 'Country borders',
  'layers.area': 'Area of operations',
  'layers.regions': 'Regions',
  'layers.places': 'Places',
  'layers.units': 'Own units',
  'layers.objects': 'Protected objects',
  'layers.buffer': 'Standoff buffer',
  'layers.releaseDiff': 'Changes in this release',
  'layers.legend': 'Legend',

  'status.label': 'Cursor position',
  'status.mgrs': 'MGRS',
  'status.latLon': 'Lat, lon',
  'status.zoom': 'Zoom',
  'status.none': '—',
  'status.outOfRange': 'outside MGRS range',

  'problem.heading': 'Problems',
  'problem.dismiss': 'Dismiss',
  'problem.status': 'HTTP {status}',
  'problem.code': 'Code {code}',
  'problem.network': 'Cannot reach the Civitas server',
  'problem.networkDetail': 'No answer to {method} {path}. Check the connection and try again.',
  'problem.unreadable': 'The server sent an answer Civitas could not read',
  'problem.unreadableDetail': '{method} {path} answered HTTP {status} without a problem document.',

  'notFound.title': 'Page not found',
  'notFound.body': 'Civitas has no page at {path}.',
  'notFound.link': 'Open Understand',
} as const satisfies Record<string, Message>;

/** A key of the English dictionary: the set of messages the app may show. */
export type MessageKey = keyof typeof en;

/** Values substituted into `{name}` placeholders; numbers are formatted for the locale. */
export type MessageVars = Record<string, string | number>;

const locale = 'en';
const plural = new Intl.PluralRules(locale);
const numberFormat = new Intl.NumberFormat(locale);

/**
 * Translates a message key, filling `{name}` placeholders from `vars`.
 *
 * @example
 *   t('table.showing', { shown: 12, total: 1400 }); // 'Showing 12 of 1,400'
 *   t('understand.placesPartial', { shown: 1000, count: 1 }); // '... of 1 place ...'
 */
export function t(key: MessageKey, vars?: MessageVars): string {
  const message: Message = en[key];
  const text =
    typeof message === 'string'
      ? message
      : plural.select(Number(vars?.count ?? 0)) === 'one'
        ? message.one
        : message.other;
  if (vars === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numberFormat.format(value) : value;
  });
}

/** Whether a string is a key of the dictionary, for keys built at run time (e.g. code lists). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/**
 * Formats a number for the UI locale.
 *
 * @example formatNumber(1234567); // '1,234,567'
 */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}
