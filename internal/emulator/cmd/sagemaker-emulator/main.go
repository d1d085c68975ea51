// Command sagemaker-emulator serves the SageMaker training plan extension emulator on a local
// port, seeded with one training plan, for the demo and for trying the provider by hand.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	planName := flag.String("plan", "demo-plan", "name of the training plan to seed")
	pendingDelay := flag.Duration("pending-delay", 3*time.Second, "how long a new extension stays Pending")
	latency := flag.Duration("latency", 0, "delay added to every SageMaker call")
	urlFile := flag.String("url-file", "", "write the endpoint URL to this file once listening")
	flag.Parse()

	emu := emulator.New(emulator.Config{PendingDelay: *pendingDelay, Latency: *latency})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: *planName})

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	url := "http://" + listener.Addr().String()
	cfg := emu.Config()
	fmt.Printf("SageMaker emulator on %s\n  region %s, access key %s\n  training plan %s\n", url, cfg.Region, cfg.AccessKeyID, planARN)
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(url+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}

	server := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
		<-stop
		_ = server.Close()
	}()
	if err := server.Serve(listener); err != http.ErrServerClosed {
		log.Fatal(err)
	}
	fmt.Printf("SageMaker emulator stopped after %d purchase(s)\n", emu.Purchases())
}
