package postgres

// The send path's per-batch queries and the console's counts, for the
// tests of their plans.
var (
	ClaimSQL   = claimSQL
	FinishSQL  = finishSQL
	TakeIDsSQL = takeIDsSQL
	HealthSQL  = healthSQL
	RecordSQL  = recordSQL + recordProgressSQL

	AbandonableSQL      = abandonableSQL
	UnfinishedSQL       = unfinishedEditionsSQL
	EditionsToWatchSQL  = editionsToWatchSQL
	PurgeUnconfirmedSQL = purgeUnconfirmedSQL

	FailureCountsSQL  = failureCountsSQL
	SkipReasonsSQL    = skipReasonsSQL
	StoryCountriesSQL = storyCountriesSQL
)

// HaltQuietSpell is how long the listener for edition halts waits before
// it checks its connection; a test shortens it.
var HaltQuietSpell = &haltQuietSpell
