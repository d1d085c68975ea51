//go:build naive_history_scans

package provider

// sharedHistoryScans is off only in the benchmark's naive build: every read scans the history.
const sharedHistoryScans = false
