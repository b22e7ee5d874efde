// sandbox-pause is the real node's pod sandbox ("pause") image: registry.k8s.io cannot be
// reached from these machines, so the kubelet's default pause image is built here. Like the
// upstream one it holds the pod's namespaces open and exits on SIGTERM or SIGINT.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}
