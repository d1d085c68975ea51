// Command refresh-bench measures `terraform plan -refresh-only` over a large estate of
// extensions, with the provider's shared history scans and with one scan per extension, side
// by side in one run, next to the same plan over terraform_data resources as the floor that
// Terraform itself costs. `make bench` runs it from the repository root.
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
	"strings"
	"time"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/benchmark"
	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

type variant struct {
	name, buildTags, pluginDir string
}

type measurement struct {
	name    string
	calls   map[string]int
	minimum string
	wall    []time.Duration
}

func main() {
	estate := benchmark.Estate{}
	flag.IntVar(&estate.Plans, "plans", 2, "training plans (P)")
	flag.IntVar(&estate.HistoryPerPlan, "history", 300, "history entries per plan (M)")
	flag.IntVar(&estate.Extensions, "extensions", 100, "extensions Terraform manages (N)")
	latency := flag.Duration("latency", 50*time.Millisecond, "latency the emulator adds to every SageMaker call")
	runs := flag.Int("runs", 3, "plans timed per variant; the median is reported")
	terraform := flag.String("terraform", "terraform", "Terraform CLI")
	write := flag.String("write", "", "also write the report to this file")
	flag.Parse()

	work, err := os.MkdirTemp("", "refresh-bench-")
	check(err)
	defer func() { _ = os.RemoveAll(work) }()

	variants := []*variant{
		{name: "shared scans (this provider)"},
		{name: "one scan per extension (naive)", buildTags: "naive_history_scans"},
	}
	for i, v := range variants {
		v.pluginDir = filepath.Join(work, fmt.Sprintf("plugins-%d", i))
		run("", "go", "build", "-tags", v.buildTags, "-o", filepath.Join(v.pluginDir, "terraform-provider-sagemaker"), ".")
	}

	emu := emulator.New(emulator.Config{Latency: *latency})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go func() { _ = http.Serve(listener, emu) }()
	url := "http://" + listener.Addr().String()

	resources, err := estate.Seed(emu)
	check(err)
	cfg := emu.Config()
	estateDir := filepath.Join(work, "estate")
	writeFile(filepath.Join(estateDir, "main.tf"), fmt.Sprintf(`
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
`, cfg.Region, cfg.AccessKeyID, cfg.SecretAccessKey, url, url)+resources)
	floorDir := filepath.Join(work, "floor")
	writeFile(filepath.Join(floorDir, "main.tf"), fmt.Sprintf(`
resource "terraform_data" "floor" {
  count = %d
  input = count.index
}
`, estate.Extensions))

	tf := func(dir string, v *variant, args ...string) time.Duration {
		env := []string{"TF_IN_AUTOMATION=1"}
		if v != nil {
			rc := filepath.Join(work, "terraformrc-"+filepath.Base(v.pluginDir))
			writeFile(rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"tfsagemaker/sagemaker\" = %q\n  }\n  direct {}\n}\n", v.pluginDir))
			env = append(env, "TF_CLI_CONFIG_FILE="+rc)
		}
		start := time.Now()
		runEnv(dir, env, *terraform, args...)
		return time.Since(start)
	}

	log.Printf("buying %d extensions over %d plans with terraform apply", estate.Extensions, estate.Plans)
	tf(estateDir, variants[0], "apply", "-auto-approve", "-input=false", "-no-color")
	tf(floorDir, nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if emu.Purchases() != estate.Extensions {
		log.Fatalf("the emulator sold %d extensions, want %d", emu.Purchases(), estate.Extensions)
	}

	refresh := []string{"plan", "-refresh-only", "-input=false", "-no-color", "-detailed-exitcode"}
	results := make([]*measurement, 0, len(variants)+1)
	for _, v := range variants {
		results = append(results, &measurement{name: v.name})
	}
	floor := &measurement{name: "floor: terraform_data, no API calls", minimum: "0"}
	for r := range *runs {
		log.Printf("timing run %d of %d", r+1, *runs)
		for i, v := range variants {
			emu.ResetCalls()
			results[i].wall = append(results[i].wall, tf(estateDir, v, refresh...))
			results[i].calls = callsByOperation(emu)
		}
		floor.wall = append(floor.wall, tf(floorDir, nil, refresh...))
	}
	results[0].minimum = fmt.Sprint(estate.MinHistoryCalls())
	results[1].minimum = fmt.Sprint(estate.MinHistoryCalls())

	log.Printf("running the Go benchmarks of the history lookup and the mapping into state")
	goBench := output("", "go", "test", "./internal/provider", "-run", "^$", "-bench", ".", "-benchmem")
	report := render(estate, *latency, *runs, *terraform, append(results, floor), goBench)
	fmt.Print(report)
	if *write != "" {
		check(os.WriteFile(*write, []byte(report), 0o644))
	}
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

func render(estate benchmark.Estate, latency time.Duration, runs int, terraform string, results []*measurement, goBench string) string {
	var b strings.Builder
	version, _ := exec.Command(terraform, "version").Output()
	fmt.Fprintf(&b, "# Benchmarks\n\n## Refresh of a large estate\n\n")
	fmt.Fprintf(&b, "`terraform plan -refresh-only` over N = %d extensions spread over P = %d training plans whose histories hold M = %d entries each, "+
		"against the emulator with %s of latency added to every SageMaker call. Wall time is the median of %d plans per row, timed in turn in one run. "+
		"The minimum is one history scan per plan: P x ceil(M/100) = %d calls; the naive path scans once per extension: N x ceil(M/100) = %d.\n\n",
		estate.Extensions, estate.Plans, estate.HistoryPerPlan, latency, runs, estate.MinHistoryCalls(), estate.NaiveHistoryCalls())
	fmt.Fprintf(&b, "| path | history calls | minimum | other SageMaker calls | STS calls | wall time |\n|---|---:|---:|---:|---:|---:|\n")
	for _, m := range results {
		if m.calls == nil {
			fmt.Fprintf(&b, "| %s | 0 | %s | 0 | 0 | %.2fs |\n", m.name, m.minimum, median(m.wall).Seconds())
			continue
		}
		other := m.calls[emulator.OpDescribeTrainingPlan] + m.calls[emulator.OpSearchTrainingPlanOfferings] + m.calls[emulator.OpExtendTrainingPlan]
		fmt.Fprintf(&b, "| %s | %d | %s | %d | %d | %.2fs |\n", m.name, m.calls[emulator.OpDescribeTrainingPlanExtensionHistory], m.minimum,
			other, m.calls[emulator.OpGetCallerIdentity], median(m.wall).Seconds())
	}
	fmt.Fprintf(&b, "\nProduced by `make bench` (`go run ./internal/benchmark/cmd/refresh-bench -write BENCHMARKS.md`) on %s, %d cores (%s), %s, %s.\n",
		time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), cpuModel(), runtime.Version(), strings.SplitN(string(version), "\n", 2)[0])
	fmt.Fprintf(&b, "\n## History lookup and mapping into state\n\n`go test ./internal/provider -run '^$' -bench . -benchmem`, in the same run:\n\n```\n%s```\n", goBench)
	return b.String()
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

func run(dir, name string, args ...string) { runEnv(dir, nil, name, args...) }

func output(dir, name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		log.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func runEnv(dir string, env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func writeFile(path, content string) {
	check(os.MkdirAll(filepath.Dir(path), 0o755))
	check(os.WriteFile(path, []byte(content), 0o600))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
