//go:build !naive_history_scans

package provider

// sharedHistoryScans is on in every real build; `make bench` also builds the provider with the
// naive_history_scans tag, to measure one scan per read side by side.
const sharedHistoryScans = true
