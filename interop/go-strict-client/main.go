// Command go-strict-client is the seed's client of golang/go#52845, kept as
// small as the seed's: one x/net/http2 Transport with
// StrictMaxConcurrentStreams (a request waits for a free stream slot on the
// one connection instead of opening another), h2c through a DialTLS that
// dials plain TCP, an http.Client with a 5 s Timeout, and an open loop that
// starts one goroutine per request at start + i/rate, POSTing a ~75-byte
// JSON body. It prints one JSON line in the field names of h2flow's report,
// so `make interop` can put it beside h2flow's naive and adaptive runs.
//
// x/net/http2 up to at least v0.7.0 (as Go 1.18/1.19's bundled copy) wakes
// requests blocked on a full connection with sync.Cond.Broadcast. With
// -requests FILE it also writes one CSV line per request (microseconds from
// the start: arrival, HEADERS written or -1, settled; outcome 0 ok, 1 timed
// out, 2 failed), from which interop/wakeOrder.ts reads the order it serves
// its waiters in.
//
// Build offline with Debian's golang-go and golang-golang-x-net-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o go-strict-client .
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
)

// result is one run, in the field names of h2flow's RunReport results.
type result struct {
	Policy      string  `json:"policy"`
	OfferedTps  float64 `json:"offeredTps"`
	DurationS   float64 `json:"durationS"`
	Submitted   int64   `json:"submitted"`
	Succeeded   int64   `json:"succeeded"`
	TimedOut    int64   `json:"timedOut"`
	Failed      int64   `json:"failed"`
	GoodputTps  float64 `json:"goodputTps"`
	FirstError  string  `json:"firstError,omitempty"`
	GoVersion   string  `json:"goVersion"`
	Connections int     `json:"connectionsMax"`
}

func main() {
	url := flag.String("url", "", "h2c target, e.g. http://127.0.0.1:8080/charge")
	rate := flag.Float64("rate", 3000, "offered requests per second (open loop)")
	duration := flag.Duration("duration", 30*time.Second, "how long to offer load")
	timeout := flag.Duration("timeout", 5*time.Second, "http.Client.Timeout of each request")
	warmup := flag.Duration("warmup", 5*time.Second, "leading time left out of goodput")
	bodyBytes := flag.Int("body-bytes", 75, "size of the JSON body")
	requestsCsv := flag.String("requests", "", "write one CSV line per request to this file")
	flag.Parse()
	if *url == "" || *rate <= 0 || *duration <= 0 || *warmup >= *duration {
		fmt.Fprintln(os.Stderr, "go-strict-client: -url, -rate > 0 and -duration > -warmup are required")
		os.Exit(2)
	}

	var dials int32
	transport := &http2.Transport{
		AllowHTTP:                  true,
		StrictMaxConcurrentStreams: true,
		DialTLS: func(network, addr string, _ *tls.Config) (net.Conn, error) {
			atomic.AddInt32(&dials, 1)
			return net.Dial(network, addr)
		},
	}
	client := &http.Client{Transport: transport, Timeout: *timeout}
	body := jsonBody(*bodyBytes)

	var r result
	var firstErr sync.Once
	var steadyOK int64
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(*duration)
	total := int64(duration.Seconds() * *rate)
	ticker := time.NewTicker(2 * time.Millisecond)
	timings := make([]timing, total)
	for sent := int64(0); sent < total; {
		now := <-ticker.C
		due := int64(now.Sub(start).Seconds() * *rate)
		for ; sent < due && sent < total; sent++ {
			wg.Add(1)
			t := &timings[sent]
			go func() {
				defer wg.Done()
				t.arrivedUs, t.wroteUs = time.Since(start).Microseconds(), -1
				trace := &httptrace.ClientTrace{
					WroteHeaders: func() {
						atomic.StoreInt64(&t.wroteUs, time.Since(start).Microseconds())
					},
					// Once per attempt: Go retries a refused stream or a request a GOAWAY left unsent.
					GotConn: func(info httptrace.GotConnInfo) {
						atomic.AddInt32(&t.attempts, 1)
						atomic.StoreInt64(&t.gotConnUs, time.Since(start).Microseconds())
						if a, ok := info.Conn.LocalAddr().(*net.TCPAddr); ok {
							atomic.StoreInt32(&t.connPort, int32(a.Port))
						}
					},
				}
				err := post(client, *url, body, trace)
				settled := time.Now()
				t.settledUs = settled.Sub(start).Microseconds()
				switch {
				case err == nil:
					atomic.AddInt64(&r.Succeeded, 1)
					if settled.Sub(start) >= *warmup && settled.Before(end) {
						atomic.AddInt64(&steadyOK, 1)
					}
				case isTimeout(err):
					t.outcome = 1
					atomic.AddInt64(&r.TimedOut, 1)
				default:
					t.outcome = 2
					atomic.AddInt64(&r.Failed, 1)
				}
				if err != nil {
					firstErr.Do(func() { r.FirstError = err.Error() })
				}
			}()
		}
		r.Submitted = sent
	}
	ticker.Stop()
	wg.Wait()
	if *requestsCsv != "" {
		if err := writeTimings(*requestsCsv, timings); err != nil {
			fmt.Fprintln(os.Stderr, "go-strict-client:", err)
			os.Exit(1)
		}
	}

	r.Policy = "go strict (x/net/http2)"
	r.DurationS = duration.Seconds()
	r.OfferedTps = float64(r.Submitted) / r.DurationS
	r.GoodputTps = float64(steadyOK) / (*duration - *warmup).Seconds()
	r.GoVersion = runtime.Version()
	r.Connections = int(atomic.LoadInt32(&dials))
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
}

// timing is one request's life, in microseconds from the start.
type timing struct {
	arrivedUs, wroteUs, settledUs int64
	outcome                       int
	attempts, connPort            int32
	gotConnUs                     int64
}

// writeTimings writes one CSV line per request: arrival, HEADERS written (-1: never), settled, outcome,
// attempts (connections got), the local port of the last one, and when it was got.
func writeTimings(path string, timings []timing) error {
	var b bytes.Buffer
	for i := range timings {
		t := &timings[i]
		fmt.Fprintf(&b, "%d,%d,%d,%d,%d,%d,%d\n", t.arrivedUs, atomic.LoadInt64(&t.wroteUs), t.settledUs, t.outcome,
			atomic.LoadInt32(&t.attempts), atomic.LoadInt32(&t.connPort), atomic.LoadInt64(&t.gotConnUs))
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// post sends one request and reads the whole response; a status outside 200-399 is an error.
func post(client *http.Client, url string, body []byte, trace *httptrace.ClientTrace) error {
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 399 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// jsonBody is a charging-data-like JSON object padded to n bytes.
func jsonBody(n int) []byte {
	b := []byte(`{"invocationSequenceNumber":1,"units":10,"pad":""}`)
	if pad := n - len(b); pad > 0 {
		b = append(b[:len(b)-2], append(bytes.Repeat([]byte("x"), pad), '"', '}')...)
	}
	return b
}
