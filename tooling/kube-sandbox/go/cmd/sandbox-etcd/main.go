// sandbox-etcd runs a single-member etcd for the qhc test sandbox, embedded from
// go.etcd.io/etcd/server/v3/embed at the version k8s.io/kubernetes pins. Test use only:
// it listens on loopback and skips fsync, trading durability for speed.
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

func loopbackURL(name, raw string) url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		fail(2, "--%s %q is not a URL: %v", name, raw, err)
	}
	if host := u.Hostname(); host != "127.0.0.1" && host != "localhost" && host != "::1" {
		fail(2, "--%s must be a loopback address, got %q", name, host)
	}
	return *u
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "sandbox-etcd: "+format+"\n", args...)
	os.Exit(code)
}

func main() {
	dataDir := flag.String("data-dir", "", "data directory (required)")
	clientURL := flag.String("listen-client-url", "http://127.0.0.1:2379", "client URL (loopback only)")
	peerURL := flag.String("listen-peer-url", "http://127.0.0.1:2380", "peer URL (loopback only)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()
	if strings.TrimSpace(*dataDir) == "" {
		fail(2, "--data-dir is required")
	}
	client := loopbackURL("listen-client-url", *clientURL)
	peer := loopbackURL("listen-peer-url", *peerURL)

	cfg := embed.NewConfig()
	cfg.Name = "sandbox"
	cfg.Dir = *dataDir
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.ClusterState = embed.ClusterStateFlagNew
	cfg.UnsafeNoFsync = true
	cfg.Logger, cfg.LogLevel = "zap", *logLevel
	cfg.AutoCompactionMode, cfg.AutoCompactionRetention = "periodic", "5m"

	server, err := embed.StartEtcd(cfg)
	if err != nil {
		fail(1, "start: %v", err)
	}
	defer server.Close()
	select {
	case <-server.Server.ReadyNotify():
		fmt.Printf("sandbox-etcd ready on %s\n", client.String())
	case <-time.After(60 * time.Second):
		server.Server.Stop()
		fail(1, "not ready after 60s")
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	select {
	case <-signals:
	case err := <-server.Err():
		fail(1, "%v", err)
	}
}
