// Command refresh-bench measures `terraform plan -refresh-only` over large estates of
// extensions against the emulator: the provider's shared history scans and one scan per
// extension side by side in one run, next to two floors, and then a sweep over the estate's
// size. `make bench` runs it from the repository root and writes BENCHMARKS.md.
//
// The honest floor is the same number of resources of a plugin provider that makes no API call
// (hashicorp/time's time_static): Terraform starts a plugin several times per plan, which
// terraform_data, built into Terraform, does not pay. The minimum API time is what the
// emulator's latency makes unavoidable: one history scan per plan, whose pages come one after
// the other, with at most parallelism (10) plans scanned at once. Each row's ratio compares its
// wall time to floor + minimum API time. The estate is timed in two layouts, one resource block
// per plan and one block for all, because Terraform refreshes one block's instances before the
// next block's: only the second lets the plans' scans run side by side.
package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/fixture"
)

// terraformParallelism is Terraform's default -parallelism.
const terraformParallelism = 10

type variant struct {
	// main is the package of the provider's main, built into pluginDir.
	name, main, pluginDir string
}

type bench struct {
	work      string
	latency   time.Duration
	runs      int
	timePlugs string // directory holding terraform-provider-time
	variants  []*variant
	label     string // keeps each CLI's working directories, and so its state, apart
}

func main() {
	estate := fixture.Estate{}
	flag.IntVar(&estate.Plans, "plans", 2, "training plans (P)")
	flag.IntVar(&estate.HistoryPerPlan, "history", 300, "history entries per plan (M)")
	flag.IntVar(&estate.Extensions, "extensions", 100, "extensions Terraform manages (N)")
	latency := flag.Duration("latency", 50*time.Millisecond, "latency the emulator adds to every SageMaker call")
	runs := flag.Int("runs", 3, "plans timed per row; the median is reported")
	clis := flag.String("terraform", "terraform", "Terraform CLIs to time, comma-separated")
	timeProvider := flag.String("time-provider", "", "directory holding terraform-provider-time (hashicorp/time), for the honest floor")
	sweep := flag.Bool("sweep", true, "also time the sweep over N, M and P")
	write := flag.String("write", "", "also write the report to this file")
	flag.Parse()
	if *timeProvider == "" {
		log.Fatal("-time-provider is required: make bench installs hashicorp/time into .bin/")
	}

	work, err := os.MkdirTemp("", "refresh-bench-")
	check(err)
	defer func() { _ = os.RemoveAll(work) }()
	b := &bench{work: work, latency: *latency, runs: *runs, timePlugs: *timeProvider, variants: []*variant{
		{name: "shared scans (this provider)", main: "."},
		{name: "one scan per extension (naive)", main: "./internal/benchmark/cmd/naive-provider"},
	}}
	for i, v := range b.variants {
		v.pluginDir = filepath.Join(work, fmt.Sprintf("plugins-%d", i))
		run("", nil, "go", "build", "-o", filepath.Join(v.pluginDir, "terraform-provider-sagemaker"), v.main)
	}

	var report strings.Builder
	fmt.Fprintf(&report, "# Benchmarks\n\n## Refresh of a large estate\n\n")
	scan := time.Duration(estate.PagesPerPlan()) * *latency
	fmt.Fprintf(&report, "`terraform plan -refresh-only` over N = %d extensions spread over P = %d training plans whose histories hold M = %d entries each, "+
		"against the emulator with %s of latency added to every SageMaker call (STS calls get none). Wall time is the median of %d plans per row, timed in turn in one run. "+
		"The minimum history calls are one scan per plan: P x ceil(M/100) = %d; the naive path scans once per extension: N x ceil(M/100) = %d. "+
		"The minimum API time is ceil(P/10) x ceil(M/100) x latency = %s: a plan's pages come one after the other, and Terraform refreshes 10 resources at once. "+
		"The ratio is the wall time over (the time_static floor + the minimum API time).\n\n"+
		"The estate is declared two ways: one resource block per plan, and all extensions in one block, the plans taking turns. "+
		"Terraform queues a block's instances together for its 10 refresh slots, so with one block per plan it asks for the second plan's extensions "+
		"only once the first plan's block is refreshed, and no provider can start a plan's scan before it is asked for one of its extensions. "+
		"The history scans column shows when each plan's scan ran, in seconds after the plan started: one after the other in that layout, "+
		"whose least time is therefore the floor plus P scans of %s each, not the minimum API time; side by side in the one-block layout.\n\n",
		estate.Extensions, estate.Plans, estate.HistoryPerPlan, *latency, *runs, estate.MinHistoryCalls(), estate.NaiveHistoryCalls(),
		minAPITime(estate, *latency), scan)
	terraforms := strings.Split(*clis, ",")
	for i, terraform := range terraforms {
		b.label = fmt.Sprintf("cli-%d", i)
		fmt.Fprintf(&report, "### %s\n\n%s\n", cliVersion(terraform), b.refreshTable(terraform, estate))
	}
	if *sweep {
		fmt.Fprintf(&report, "## Cost curve\n\n%s", b.sweep(terraforms[len(terraforms)-1]))
	}
	fmt.Fprintf(&report, "\n## Kill window\n\n%s", b.killWindow(terraforms[len(terraforms)-1]))
	log.Printf("running the Go benchmarks of the history lookup and the mapping into state")
	goBench := output("go", "test", "./internal/provider", "-run", "^$", "-bench", ".", "-benchmem")
	fmt.Fprintf(&report, "\nProduced by `make bench` (`go run ./internal/benchmark/cmd/refresh-bench`) on %s, %d cores (%s), %s.\n",
		time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), cpuModel(), runtime.Version())
	fmt.Fprintf(&report, "\n## History lookup and mapping into state\n\n`go test ./internal/provider -run '^$' -bench . -benchmem`, in the same run:\n\n```\n%s```\n", goBench)
	fmt.Print(report.String())
	if *write != "" {
		check(os.WriteFile(*write, []byte(report.String()), 0o644))
	}
}

// killWindow measures how long a purchase is lost if the apply is killed: from the moment the
// purchase reaches the emulator, which may act on it, until the local state file records it.
func (b *bench) killWindow(terraform string) string {
	var t strings.Builder
	fmt.Fprintf(&t, "`terraform apply` of one extension by duration, %d times per latency, on %s: how long a purchase is in flight, from its arrival at the emulator "+
		"(which may act on it from then on) to its answer, and from its answer until the local state file (`terraform.tfstate`, polled every millisecond) records it. "+
		"A run killed within that window loses track of the purchase. Medians:\n\n"+
		"| latency per SageMaker call | purchase call | answer to state file | window |\n|---:|---:|---:|---:|\n", b.runs, cliVersion(terraform))
	for _, latency := range []time.Duration{0, b.latency} {
		var calls, toState, windows []time.Duration
		for r := range b.runs {
			server := serveEmulator(latency)
			planARN := server.emu.AddPlan(emulator.PlanSpec{Name: "kill-window"})
			dir := b.dir(fmt.Sprintf("kill-window-%s-%d", latency, r), providerConfig(server)+fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn        = %q
  requested_duration_hours = 24
}
`, planARN))
			stateSeen := make(chan time.Time, 1)
			go func() {
				for {
					if state, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate")); err == nil && bytes.Contains(state, []byte(`"tpeo-`)) {
						stateSeen <- time.Now()
						return
					}
					time.Sleep(time.Millisecond)
				}
			}()
			b.terraform(terraform, dir, b.variants[0], "apply", "-auto-approve", "-input=false")
			seen := <-stateSeen
			arrived, answered := server.purchases.first()
			calls, toState, windows = append(calls, answered.Sub(arrived)), append(toState, seen.Sub(answered)), append(windows, seen.Sub(arrived))
		}
		fmt.Fprintf(&t, "| %s | %s | %s | %s |\n", latency, median(calls).Round(100*time.Microsecond), median(toState).Round(100*time.Microsecond),
			median(windows).Round(100*time.Microsecond))
	}
	t.WriteString("\nOn AWS the purchase call takes as long as `ExtendTrainingPlan` does, at most one minute per attempt; with a remote backend, " +
		"Terraform uploads state at most every 20 seconds during an apply.\n")
	return t.String()
}

// minAPITime is the least time the emulator's latency lets a refresh of the estate take.
func minAPITime(estate fixture.Estate, latency time.Duration) time.Duration {
	return time.Duration(estate.MinHistoryRounds(terraformParallelism)) * latency
}

// row is one timed configuration of a refresh table.
type row struct {
	name    string
	dir     string
	variant *variant // nil for the floors
	server  *emulatorServer
	minimum int
	calls   map[string]int
	scans   string
	wall    []time.Duration
}

// refreshTable times the provider's two variants over the estate declared one block per plan,
// the shared scans over the same estate declared in one block, and the two floors, with one CLI.
func (b *bench) refreshTable(terraform string, estate fixture.Estate) string {
	perPlan := serveEmulator(b.latency)
	dir := b.importEstate(terraform, "estate", estate, perPlan)

	oneBlockEstate := estate
	oneBlockEstate.OneBlock = true
	oneBlock := serveEmulator(b.latency)
	oneBlockDir := b.importEstate(terraform, "estate-one-block", oneBlockEstate, oneBlock)

	rows := []*row{
		{name: "shared scans (this provider), one block per plan", dir: dir, variant: b.variants[0], server: perPlan, minimum: estate.MinHistoryCalls()},
		{name: "shared scans (this provider), all in one block", dir: oneBlockDir, variant: b.variants[0], server: oneBlock, minimum: estate.MinHistoryCalls()},
		{name: "one scan per extension (naive), one block per plan", dir: dir, variant: b.variants[1], server: perPlan, minimum: estate.MinHistoryCalls()},
	}
	for _, f := range b.floors(estate.Extensions) {
		b.terraform(terraform, f.dir, nil, "apply", "-auto-approve", "-input=false")
		rows = append(rows, &row{name: f.name, dir: f.dir})
	}
	for r := range b.runs {
		log.Printf("%s: timing run %d of %d", terraform, r+1, b.runs)
		for _, row := range rows {
			if row.server != nil {
				row.server.emu.ResetCalls()
				row.server.scans.reset()
			}
			row.wall = append(row.wall, b.terraform(terraform, row.dir, row.variant, refreshOnly...))
			if row.server != nil {
				row.calls = callsByOperation(row.server.emu)
				row.scans = row.server.scans.String()
			}
		}
	}
	floor := median(rows[len(rows)-1].wall) // time_static
	ideal := floor + minAPITime(estate, b.latency)
	var t strings.Builder
	fmt.Fprintf(&t, "| path | history calls | minimum | other SageMaker calls | STS calls | history scans, seconds into the plan | wall time | ratio to floor + minimum API time (%.2fs) |\n|---|---:|---:|---:|---:|---|---:|---:|\n", ideal.Seconds())
	for _, row := range rows {
		wall := median(row.wall)
		if row.server == nil {
			fmt.Fprintf(&t, "| %s | 0 | 0 | 0 | 0 | | %.2fs | |\n", row.name, wall.Seconds())
			continue
		}
		other := row.calls[emulator.OpDescribeTrainingPlan] + row.calls[emulator.OpSearchTrainingPlanOfferings] + row.calls[emulator.OpExtendTrainingPlan]
		fmt.Fprintf(&t, "| %s | %d | %d | %d | %d | %s | %.2fs | %.2fx |\n", row.name, row.calls[emulator.OpDescribeTrainingPlanExtensionHistory], row.minimum,
			other, row.calls[emulator.OpGetCallerIdentity], row.scans, wall.Seconds(), wall.Seconds()/ideal.Seconds())
	}
	return t.String()
}

// importEstate seeds the estate into the emulator bought, imports it into the state of a new
// working directory, and returns the directory, its import blocks removed.
func (b *bench) importEstate(terraform, name string, estate fixture.Estate, server *emulatorServer) string {
	resources, imports, err := estate.SeedBought(server.emu)
	check(err)
	dir := b.dir(name, providerConfig(server)+resources)
	importFile := filepath.Join(dir, "imports.tf")
	check(os.WriteFile(importFile, []byte(imports), 0o600))
	log.Printf("%s: importing %d extensions over %d plans", terraform, estate.Extensions, estate.Plans)
	b.terraform(terraform, dir, b.variants[0], "apply", "-auto-approve", "-input=false")
	check(os.Remove(importFile))
	if server.emu.Purchases() != estate.Extensions || server.emu.Calls(emulator.OpExtendTrainingPlan) != 0 {
		log.Fatalf("the import bought: %d purchases, %d purchase calls", server.emu.Purchases(), server.emu.Calls(emulator.OpExtendTrainingPlan))
	}
	return dir
}

type floorConfig struct{ name, dir string }

// floors are N resources that make no API call: built into Terraform, and of a plugin provider.
func (b *bench) floors(n int) []floorConfig {
	return []floorConfig{
		{"floor: terraform_data (built in, no plugin)", b.dir(fmt.Sprintf("floor-data-%d", n), fmt.Sprintf("resource \"terraform_data\" \"floor\" {\n  count = %d\n  input = count.index\n}\n", n))},
		{"floor: time_static (a plugin provider, no API calls)", b.dir(fmt.Sprintf("floor-time-%d", n), fmt.Sprintf(
			"terraform {\n  required_providers {\n    time = { source = \"hashicorp/time\" }\n  }\n}\n\nresource \"time_static\" \"floor\" {\n  count = %d\n}\n", n))},
	}
}

// sweep times the shared scans over estates of N extensions, M history entries and P plans.
func (b *bench) sweep(terraform string) string {
	var t strings.Builder
	fmt.Fprintf(&t, "`terraform plan -refresh-only` with this provider over estates imported into state, one timed plan per point and layout, with %s of latency, on %s. "+
		"Floor is N time_static resources; the minimum API time is ceil(P/10) x ceil(M/100) x latency. "+
		"Each estate is timed declared with one resource block per plan, and with all extensions in one block; history calls are given in that order. "+
		"With one block per plan the plans are scanned one after the other (see above). In one block, Terraform takes the instances in no set order, "+
		"so with P = 10 its 10 refresh slots seldom start with one extension of every plan: the plans it has not asked for yet are scanned once slots free up.\n\n", b.latency, cliVersion(terraform))
	fmt.Fprintf(&t, "| P | M | N | history calls (minimum) | floor | minimum API time | one block per plan | ratio | all in one block | ratio |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var peak int
	var peakAt fixture.Estate
	floorTimes := map[int]time.Duration{}
	for _, plans := range []int{2, 10} {
		for _, history := range []int{100, 1000, 5000} {
			for _, n := range []int{10, 100, 1000} {
				estate := fixture.Estate{Plans: plans, HistoryPerPlan: history, Extensions: n}
				if n%plans != 0 || n/plans > history {
					continue
				}
				if _, ok := floorTimes[n]; !ok {
					floor := b.floors(n)[1]
					b.terraform(terraform, floor.dir, nil, "apply", "-auto-approve", "-input=false")
					floorTimes[n] = b.terraform(terraform, floor.dir, nil, refreshOnly...)
				}
				least := floorTimes[n] + minAPITime(estate, b.latency)
				var calls []string
				var walls strings.Builder
				for _, oneBlock := range []bool{false, true} {
					estate.OneBlock = oneBlock
					log.Printf("sweep: %+v", estate)
					server := serveEmulator(b.latency)
					dir := b.importEstate(terraform, fmt.Sprintf("sweep-%d-%d-%d-%t", plans, history, n, oneBlock), estate, server)
					server.emu.ResetCalls()
					stopWatching := watchPeakRSS("terraform-provider-sagemaker")
					wall := b.terraform(terraform, dir, b.variants[0], refreshOnly...)
					if rss := stopWatching(); rss > peak {
						peak, peakAt = rss, estate
					}
					calls = append(calls, strconv.Itoa(server.emu.Calls(emulator.OpDescribeTrainingPlanExtensionHistory)))
					fmt.Fprintf(&walls, " %.2fs | %.2fx |", wall.Seconds(), wall.Seconds()/least.Seconds())
				}
				fmt.Fprintf(&t, "| %d | %d | %d | %s (%d) | %.2fs | %.2fs |%s\n", plans, history, n, strings.Join(calls, ", "), estate.MinHistoryCalls(),
					floorTimes[n].Seconds(), minAPITime(estate, b.latency).Seconds(), walls.String())
			}
		}
	}
	layout := "one block per plan"
	if peakAt.OneBlock {
		layout = "all in one block"
	}
	fmt.Fprintf(&t, "\nPeak provider memory: %.0f MiB resident (VmHWM), at P = %d, M = %d, N = %d, %s.\n", float64(peak)/1024, peakAt.Plans, peakAt.HistoryPerPlan, peakAt.Extensions, layout)
	return t.String()
}

var refreshOnly = []string{"plan", "-refresh-only", "-input=false", "-detailed-exitcode"}

// watchPeakRSS polls the resident high-water mark of every running process whose command line
// names the program, until the returned function stops it and returns the highest, in KiB.
func watchPeakRSS(program string) func() int {
	stop := make(chan struct{})
	var mu sync.Mutex
	peak := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
			for _, p := range procs {
				cmdline, err := os.ReadFile(p)
				if err != nil || !strings.Contains(string(cmdline), program) {
					continue
				}
				status, err := os.ReadFile(filepath.Join(filepath.Dir(p), "status"))
				if err != nil {
					continue
				}
				for line := range strings.SplitSeq(string(status), "\n") {
					if value, ok := strings.CutPrefix(line, "VmHWM:"); ok {
						kib, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(value), " kB"))
						mu.Lock()
						peak = max(peak, kib)
						mu.Unlock()
					}
				}
			}
		}
	}()
	return func() int {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// emulatorServer is an emulator served on a local port, its history calls timed.
type emulatorServer struct {
	emu       *emulator.Emulator
	url       string
	scans     *scanClock
	purchases *purchaseClock
}

func serveEmulator(latency time.Duration) *emulatorServer {
	emu := emulator.New(emulator.Config{Latency: latency})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	scans, purchases := &scanClock{}, &purchaseClock{}
	go func() { _ = http.Serve(listener, purchases.wrap(scans.wrap(emu))) }()
	return &emulatorServer{emu: emu, url: "http://" + listener.Addr().String(), scans: scans, purchases: purchases}
}

// purchaseClock records when the first purchase arrived and when it was answered.
type purchaseClock struct {
	mu                sync.Mutex
	arrived, answered time.Time
}

func (c *purchaseClock) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "SageMaker."+emulator.OpExtendTrainingPlan {
			next.ServeHTTP(w, r)
			return
		}
		arrived := time.Now()
		next.ServeHTTP(w, r)
		answered := time.Now()
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.arrived.IsZero() {
			c.arrived, c.answered = arrived, answered
		}
	})
}

func (c *purchaseClock) first() (arrived, answered time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.arrived.IsZero() {
		log.Fatal("no purchase reached the emulator")
	}
	return c.arrived, c.answered
}

// scanClock records when each plan's history scan ran: from its first history call's arrival
// to its last one's answer, in time since the last reset. It shows whether plans' scans
// overlapped or came one after the other.
type scanClock struct {
	mu    sync.Mutex
	since time.Time
	spans map[string]*span // by plan ARN
}

type span struct{ first, last time.Duration }

func (c *scanClock) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.since, c.spans = time.Now(), map[string]*span{}
}

func (c *scanClock) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "SageMaker."+emulator.OpDescribeTrainingPlanExtensionHistory {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		check(err)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var input struct{ TrainingPlanArn string }
		check(json.Unmarshal(body, &input))
		arrived := time.Now()
		next.ServeHTTP(w, r)
		answered := time.Now()

		c.mu.Lock()
		defer c.mu.Unlock()
		if c.spans == nil {
			return // not timing
		}
		s, ok := c.spans[input.TrainingPlanArn]
		if !ok {
			s = &span{first: arrived.Sub(c.since)}
			c.spans[input.TrainingPlanArn] = s
		}
		s.first, s.last = min(s.first, arrived.Sub(c.since)), max(s.last, answered.Sub(c.since))
	})
}

// String lists the plans' scans in the order they started, as "first–last (plan name)".
func (c *scanClock) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	arns := slices.Collect(maps.Keys(c.spans))
	slices.SortFunc(arns, func(a, b string) int { return cmp.Compare(c.spans[a].first, c.spans[b].first) })
	scans := make([]string, len(arns))
	for i, arn := range arns {
		scans[i] = fmt.Sprintf("%.2f–%.2f (%s)", c.spans[arn].first.Seconds(), c.spans[arn].last.Seconds(), arn[strings.LastIndex(arn, "/")+1:])
	}
	return strings.Join(scans, ", ")
}

func providerConfig(server *emulatorServer) string {
	cfg := server.emu.Config()
	return fmt.Sprintf(`
terraform {
  required_providers {
    sagemaker = { source = "tfsagemaker/sagemaker" }
  }
}

provider "sagemaker" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints {
    sagemaker = %q
    sts       = %q
  }
}
`, cfg.Region, cfg.AccessKeyID, cfg.SecretAccessKey, server.url, server.url)
}

// dir writes a configuration into a fresh working directory.
func (b *bench) dir(name, config string) string {
	dir := filepath.Join(b.work, b.label, name)
	check(os.MkdirAll(dir, 0o755))
	check(os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600))
	return dir
}

// terraform runs one CLI command with the provider variant (or none) and hashicorp/time
// installed by dev_overrides, and returns how long it took.
func (b *bench) terraform(terraform, dir string, v *variant, args ...string) time.Duration {
	overrides := fmt.Sprintf("    \"hashicorp/time\" = %q\n", b.timePlugs)
	rc := filepath.Join(b.work, "terraformrc-floor")
	if v != nil {
		overrides += fmt.Sprintf("    \"tfsagemaker/sagemaker\" = %q\n", v.pluginDir)
		rc = filepath.Join(b.work, "terraformrc-"+filepath.Base(v.pluginDir))
	}
	check(os.WriteFile(rc, []byte("provider_installation {\n  dev_overrides {\n"+overrides+"  }\n  direct {}\n}\n"), 0o600))
	start := time.Now()
	run(dir, []string{"TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE=" + rc}, terraform, append(args, "-no-color")...)
	return time.Since(start)
}

var operations = []string{
	emulator.OpDescribeTrainingPlanExtensionHistory,
	emulator.OpDescribeTrainingPlan,
	emulator.OpSearchTrainingPlanOfferings,
	emulator.OpExtendTrainingPlan,
	emulator.OpGetCallerIdentity,
}

func callsByOperation(emu *emulator.Emulator) map[string]int {
	calls := map[string]int{}
	for _, op := range operations {
		calls[op] = emu.Calls(op)
	}
	return calls
}

func median(ds []time.Duration) time.Duration {
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	return sorted[len(sorted)/2]
}

func cliVersion(terraform string) string {
	cmd := exec.Command(terraform, "version")
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, _ := cmd.Output()
	return strings.SplitN(string(out), "\n", 2)[0]
}

func cpuModel() string {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for line := range strings.SplitSeq(string(info), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return runtime.GOARCH
}

func output(name string, args ...string) string {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		log.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func run(dir string, env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
