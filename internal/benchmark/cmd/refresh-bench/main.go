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
// wall time to floor + minimum API time.
package main

import (
	"flag"
	"fmt"
	"log"
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

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/benchmark"
	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// terraformParallelism is Terraform's default -parallelism.
const terraformParallelism = 10

type variant struct {
	name, buildTags, pluginDir string
}

type measurement struct {
	name    string
	calls   map[string]int
	minimum int
	wall    []time.Duration
	floor   bool
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
	estate := benchmark.Estate{}
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
		{name: "shared scans (this provider)"},
		{name: "one scan per extension (naive)", buildTags: "naive_history_scans"},
	}}
	for i, v := range b.variants {
		v.pluginDir = filepath.Join(work, fmt.Sprintf("plugins-%d", i))
		run("", nil, "go", "build", "-tags", v.buildTags, "-o", filepath.Join(v.pluginDir, "terraform-provider-sagemaker"), ".")
	}

	var report strings.Builder
	fmt.Fprintf(&report, "# Benchmarks\n\n## Refresh of a large estate\n\n")
	fmt.Fprintf(&report, "`terraform plan -refresh-only` over N = %d extensions spread over P = %d training plans whose histories hold M = %d entries each, "+
		"against the emulator with %s of latency added to every SageMaker call (STS calls get none). Wall time is the median of %d plans per row, timed in turn in one run. "+
		"The minimum history calls are one scan per plan: P x ceil(M/100) = %d; the naive path scans once per extension: N x ceil(M/100) = %d. "+
		"The minimum API time is ceil(P/10) x ceil(M/100) x latency = %s: a plan's pages come one after the other, and Terraform refreshes 10 resources at once. "+
		"The ratio is the wall time over (the time_static floor + the minimum API time).\n\n",
		estate.Extensions, estate.Plans, estate.HistoryPerPlan, *latency, *runs, estate.MinHistoryCalls(), estate.NaiveHistoryCalls(),
		minAPITime(estate, *latency))
	terraforms := strings.Split(*clis, ",")
	for i, terraform := range terraforms {
		b.label = fmt.Sprintf("cli-%d", i)
		fmt.Fprintf(&report, "### %s\n\n%s\n", cliVersion(terraform), b.refreshTable(terraform, estate))
	}
	if *sweep {
		fmt.Fprintf(&report, "## Cost curve\n\n%s", b.sweep(terraforms[len(terraforms)-1]))
	}
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

// minAPITime is the least time the emulator's latency lets a refresh of the estate take.
func minAPITime(estate benchmark.Estate, latency time.Duration) time.Duration {
	return time.Duration(estate.MinHistoryRounds(terraformParallelism)) * latency
}

// refreshTable times the provider's two variants and the two floors with one CLI.
func (b *bench) refreshTable(terraform string, estate benchmark.Estate) string {
	emu, url := serveEmulator(b.latency)
	resources, err := estate.Seed(emu)
	check(err)
	dir := b.dir("estate", providerConfig(emu, url)+resources)
	floors := b.floors(estate.Extensions)
	log.Printf("%s: buying %d extensions over %d plans with terraform apply", terraform, estate.Extensions, estate.Plans)
	b.terraform(terraform, dir, b.variants[0], "apply", "-auto-approve", "-input=false")
	if emu.Purchases() != estate.Extensions {
		log.Fatalf("the emulator sold %d extensions, want %d", emu.Purchases(), estate.Extensions)
	}
	// Purchases are stored Pending; a refresh records them settled, so timed plans find no drift.
	b.terraform(terraform, dir, b.variants[0], "apply", "-refresh-only", "-auto-approve", "-input=false")
	for _, f := range floors {
		b.terraform(terraform, f.dir, nil, "apply", "-auto-approve", "-input=false")
	}

	rows := make([]*measurement, 0, len(b.variants)+len(floors))
	for _, v := range b.variants {
		rows = append(rows, &measurement{name: v.name, minimum: estate.MinHistoryCalls()})
	}
	for _, f := range floors {
		rows = append(rows, &measurement{name: f.name, floor: true})
	}
	for r := range b.runs {
		log.Printf("%s: timing run %d of %d", terraform, r+1, b.runs)
		for i, v := range b.variants {
			emu.ResetCalls()
			rows[i].wall = append(rows[i].wall, b.terraform(terraform, dir, v, refreshOnly...))
			rows[i].calls = callsByOperation(emu)
		}
		for i, f := range floors {
			rows[len(b.variants)+i].wall = append(rows[len(b.variants)+i].wall, b.terraform(terraform, f.dir, nil, refreshOnly...))
		}
	}
	floor := median(rows[len(rows)-1].wall) // time_static
	ideal := floor + minAPITime(estate, b.latency)
	var t strings.Builder
	fmt.Fprintf(&t, "| path | history calls | minimum | other SageMaker calls | STS calls | wall time | ratio to floor + minimum API time (%.2fs) |\n|---|---:|---:|---:|---:|---:|---:|\n", ideal.Seconds())
	for _, m := range rows {
		wall := median(m.wall)
		if m.floor {
			fmt.Fprintf(&t, "| %s | 0 | 0 | 0 | 0 | %.2fs | |\n", m.name, wall.Seconds())
			continue
		}
		other := m.calls[emulator.OpDescribeTrainingPlan] + m.calls[emulator.OpSearchTrainingPlanOfferings] + m.calls[emulator.OpExtendTrainingPlan]
		fmt.Fprintf(&t, "| %s | %d | %d | %d | %d | %.2fs | %.2fx |\n", m.name, m.calls[emulator.OpDescribeTrainingPlanExtensionHistory], m.minimum,
			other, m.calls[emulator.OpGetCallerIdentity], wall.Seconds(), wall.Seconds()/ideal.Seconds())
	}
	return t.String()
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
	fmt.Fprintf(&t, "`terraform plan -refresh-only` with this provider over estates imported into state, one timed plan per point, with %s of latency, on %s. "+
		"Floor is N time_static resources; the minimum API time is ceil(P/10) x ceil(M/100) x latency.\n\n", b.latency, cliVersion(terraform))
	fmt.Fprintf(&t, "| P | M | N | history calls (minimum) | wall time | floor | minimum API time | ratio |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var peak int
	var peakAt benchmark.Estate
	floorTimes := map[int]time.Duration{}
	for _, plans := range []int{2, 10} {
		for _, history := range []int{100, 1000, 5000} {
			for _, n := range []int{10, 100, 1000} {
				estate := benchmark.Estate{Plans: plans, HistoryPerPlan: history, Extensions: n}
				if n%plans != 0 || n/plans > history {
					continue
				}
				log.Printf("sweep: %+v", estate)
				emu, url := serveEmulator(b.latency)
				config, err := estate.SeedBought(emu)
				check(err)
				dir := b.dir(fmt.Sprintf("sweep-%d-%d-%d", plans, history, n), providerConfig(emu, url)+config)
				b.terraform(terraform, dir, b.variants[0], "apply", "-auto-approve", "-input=false")
				if emu.Purchases() != n || emu.Calls(emulator.OpExtendTrainingPlan) != 0 {
					log.Fatalf("the import bought: %d purchases, %d purchase calls", emu.Purchases(), emu.Calls(emulator.OpExtendTrainingPlan))
				}
				emu.ResetCalls()
				stopWatching := watchPeakRSS("terraform-provider-sagemaker")
				wall := b.terraform(terraform, dir, b.variants[0], refreshOnly...)
				rss := stopWatching()
				if rss > peak {
					peak, peakAt = rss, estate
				}
				if _, ok := floorTimes[n]; !ok {
					floor := b.floors(n)[1]
					b.terraform(terraform, floor.dir, nil, "apply", "-auto-approve", "-input=false")
					floorTimes[n] = b.terraform(terraform, floor.dir, nil, refreshOnly...)
				}
				minAPI := minAPITime(estate, b.latency)
				fmt.Fprintf(&t, "| %d | %d | %d | %d (%d) | %.2fs | %.2fs | %.2fs | %.2fx |\n", plans, history, n,
					emu.Calls(emulator.OpDescribeTrainingPlanExtensionHistory), estate.MinHistoryCalls(), wall.Seconds(),
					floorTimes[n].Seconds(), minAPI.Seconds(), wall.Seconds()/(floorTimes[n]+minAPI).Seconds())
			}
		}
	}
	fmt.Fprintf(&t, "\nPeak provider memory: %.0f MiB resident (VmHWM), at P = %d, M = %d, N = %d.\n", float64(peak)/1024, peakAt.Plans, peakAt.HistoryPerPlan, peakAt.Extensions)
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

func serveEmulator(latency time.Duration) (*emulator.Emulator, string) {
	emu := emulator.New(emulator.Config{Latency: latency})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go func() { _ = http.Serve(listener, emu) }()
	return emu, "http://" + listener.Addr().String()
}

func providerConfig(emu *emulator.Emulator, url string) string {
	cfg := emu.Config()
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
`, cfg.Region, cfg.AccessKeyID, cfg.SecretAccessKey, url, url)
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
