// Command ferretdb-embed runs an embedded FerretDB (v1.24, SQLite backend)
// as a MongoDB-compatible server for tests.
//
// Usage:
//
//	ferretdb-embed --listen 127.0.0.1:PORT --dir /abs/path/to/data/dir [--parent-pid N] [--log-level warn]
//		[--synchronous normal|full] [--pprof 127.0.0.1:6060]
//
// PORT may be 0: a free port is chosen. Once the server accepts TCP
// connections, exactly one line "READY <host>:<port>" is printed to stdout.
// The process exits 0 on SIGTERM/SIGINT, or when --parent-pid is given and
// that process is gone (checked every second).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // served only with --pprof
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	os.Exit(run())
}

func run() int {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (host:port; port 0 picks a free port)")
	dir := flag.String("dir", "", "SQLite data directory (created if missing)")
	parentPID := flag.Int("parent-pid", 0, "exit when this process is gone (0 disables)")
	logLevel := flag.String("log-level", "error", "FerretDB log level on stderr: debug, info, warn or error")
	// SQLite's default in WAL mode (FULL) fsyncs the log on every commit: ~1.9 ms here, and writes are serialized
	// (proxy.go), so it capped every write route. NORMAL fsyncs only at checkpoints: a killed process loses nothing
	// (the log is in the OS cache), a power cut may lose the last commits. Durable deployments use MongoDB.
	synchronous := flag.String("synchronous", "normal", "SQLite synchronous pragma: normal or full")
	// PIONEER_ENGINE_PPROF=127.0.0.1:6060 (the environment reaches the engine through the server that starts it):
	// go tool pprof http://127.0.0.1:6060/debug/pprof/profile?seconds=10 while a load runs.
	pprofAddr := flag.String("pprof", os.Getenv("PIONEER_ENGINE_PPROF"), "serve net/http/pprof on this address")
	flag.Parse()

	// Go's default GOGC=100 collects whenever the heap doubles; FerretDB's live heap is a few MB, and each command
	// decodes whole documents into short-lived garbage, so the collector ran several times a second and took ~25 % of
	// the engine's CPU (profile in /work/notes/s5-H5g.md). 400 trades a few tens of MB for it. GOGC still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if *pprofAddr != "" {
		go func() { _ = http.ListenAndServe(*pprofAddr, nil) }()
	}

	if *synchronous != "normal" && *synchronous != "full" {
		fmt.Fprintln(os.Stderr, "ferretdb-embed: --synchronous must be normal or full")
		return 2
	}
	if flag.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "ferretdb-embed: unexpected arguments: %v\n", flag.Args())
		return 2
	}
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb-embed: --dir is required")
		return 2
	}

	absDir, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embed: %s\n", err)
		return 1
	}
	if err = os.MkdirAll(absDir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embed: %s\n", err)
		return 1
	}

	addr, err := resolveListen(*listen)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embed: %s\n", err)
		return 2
	}

	// FerretDB requires a "file:" URI pointing to an existing directory, ending with "/".
	// FerretDB adds its own pragmas (busy_timeout, journal_mode(wal), auto_vacuum) after ours.
	// wal_autocheckpoint: SQLite copies the log back into the database every 1,000 pages by default, and each copy
	// fsyncs and sorts the log; an update of a scope document spent 13 % of its CPU there. Every 10,000 pages (a log of
	// up to ~40 MB) writes a hot page back once instead of ten times: 7 % (profile in /work/notes/s5-H5g.md).
	pragmas := url.Values{"_pragma": {"synchronous(" + *synchronous + ")", "wal_autocheckpoint(10000)"}}
	sqliteURL := (&url.URL{Scheme: "file", Path: strings.TrimSuffix(filepath.ToSlash(absDir), "/") + "/", RawQuery: pragmas.Encode()}).String()

	var level slog.Level
	if err = level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embed: bad --log-level: %s\n", err)
		return 2
	}

	logger := slog.New(&lazyHandler{inner: slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})})
	slog.SetDefault(logger)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// FerretDB itself listens on a private loopback port; clients reach it through the serializing proxy.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embed: %s\n", err)
		return 1
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-embed: %s\n", err)
		}
	}()

	if *parentPID > 0 {
		go watchParent(ctx, *parentPID, cancel)
	}

	backendAddr := ""
	if u, err := url.Parse(f.MongoDBURI()); err == nil && u.Host != "" {
		backendAddr = u.Host
	}
	if err := waitDial(ctx, backendAddr, done); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embed: %s\n", err)
		cancel()
		<-done
		return 1
	}

	front, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embed: %s\n", err)
		cancel()
		<-done
		return 1
	}
	proxy := &serializer{backend: backendAddr, log: logger}
	go proxy.serve(front)
	go checkpointLoop(ctx, absDir, &proxy.lock, logger)
	go func() {
		<-ctx.Done()
		_ = front.Close()
	}()
	realAddr := front.Addr().String()

	fmt.Fprintf(os.Stdout, "READY %s\n", realAddr)
	_ = os.Stdout.Sync()

	<-done
	return 0
}

// resolveListen validates host:port. Port 0 is passed through to FerretDB's
// own net.Listen, which binds a free port atomically (no pick-then-close race);
// the real port is read back from the listener.
func resolveListen(s string) (string, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return "", fmt.Errorf("bad --listen %q: %w", s, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// waitDial polls a TCP dial to addr until it succeeds.
func waitDial(ctx context.Context, addr string, done <-chan struct{}) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server did not accept connections on %s: %w", addr, err)
		}
		select {
		case <-ctx.Done():
			return errors.New("interrupted before ready")
		case <-done:
			return errors.New("server stopped before ready")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// watchParent cancels when process pid no longer exists.
func watchParent(ctx context.Context, pid int, cancel context.CancelFunc) {
	// If pid is our direct parent, re-parenting also means it is gone
	// (this catches pid reuse as well).
	directParent := os.Getppid() == pid

	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if (directParent && os.Getppid() != pid) || !processAlive(pid) {
			cancel()
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
