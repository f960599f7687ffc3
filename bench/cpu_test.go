package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc CPU times: 100 on every Linux
// architecture Go runs on (it is fixed in the kernel ABI, unlike HZ).
const clockTicks = 100

// cpuSample is the CPU time, in seconds, used so far by each party to a
// run, and by the machine as a whole. Differences of two samples say where
// a phase's time went without a profiler in the worker.
type cpuSample struct {
	at     time.Time
	worker float64
	// postgres holds the server's processes by pid, each marked whether
	// it serves the benchmark's database. Phases compare pid by pid: a
	// backend that exits takes its time with it, which is better than the
	// totals going backwards.
	postgres                map[int]pgProc
	redis, bench            float64
	machineBusy, machineAll float64 // over all cores, from /proc/stat
	sent                    int64   // messages the sink had received, when watchEdition sets it
}

type pgProc struct {
	cpu  float64
	ours bool
}

// takeCPU reads /proc. The machine is shared with whatever else runs (other
// test suites on the same Postgres), so each party is counted apart and
// the rest shows as "not ours".
func takeCPU(workerPID int, database string) cpuSample {
	s := cpuSample{at: time.Now(), postgres: map[int]pgProc{}}
	if workerPID > 0 {
		s.worker = procCPU(workerPID)
	}
	s.bench = procCPU(os.Getpid())
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		switch procComm(pid) {
		case "postgres":
			// A backend's title is "postgres: <cluster>: <user> <database> <client> <state>".
			cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
			s.postgres[pid] = pgProc{cpu: procCPU(pid), ours: strings.Contains(string(cmd), " "+database+" ")}
		case "redis-server":
			s.redis += procCPU(pid)
		}
	}
	s.machineBusy, s.machineAll = machineCPU()
	return s
}

// phase is where the CPU went between two samples, in seconds.
type phase struct {
	name               string
	wall, busyPct      float64
	worker, postgres   float64 // postgres: backends of the benchmark's database
	redis, bench       float64 // bench: this process, the SMTP sink included
	pgOther, elsewhere float64 // not ours: other databases, other programs
}

// phaseCPU compares two samples.
func phaseCPU(name string, a, b cpuSample) phase {
	p := phase{name: name, wall: b.at.Sub(a.at).Seconds()}
	if all := b.machineAll - a.machineAll; all > 0 {
		p.busyPct = 100 * (b.machineBusy - a.machineBusy) / all
	}
	for pid, pr := range b.postgres {
		d := pr.cpu - a.postgres[pid].cpu // a process new since a started from nothing
		if pr.ours {
			p.postgres += d
		} else {
			p.pgOther += d
		}
	}
	p.worker, p.redis, p.bench = b.worker-a.worker, b.redis-a.redis, b.bench-a.bench
	p.elsewhere = max(0, b.machineBusy-a.machineBusy-p.worker-p.postgres-p.pgOther-p.redis-p.bench)
	return p
}

// ours is the CPU the measured system used: everything but other work on
// the machine.
func (p phase) ours() float64 { return p.worker + p.postgres + p.redis + p.bench }

func (p phase) String() string {
	return fmt.Sprintf("%s: wall %.1fs, machine %.0f%% busy of %d cores; CPU seconds: worker %.1f, postgres (bench db) %.1f, redis %.1f, bench+sink %.1f; not ours: postgres (other) %.1f, other processes %.1f",
		p.name, p.wall, p.busyPct, runtime.NumCPU(), p.worker, p.postgres, p.redis, p.bench, p.pgOther, p.elsewhere)
}

// procComm is the process's command name, "" if it is gone.
func procComm(pid int) string {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(raw))
}

// procCPU is a process's user+system CPU seconds, 0 if it is gone.
func procCPU(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count fields
	// from after its closing parenthesis, where field 3 (state) starts.
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	// utime and stime are fields 14 and 15 of proc(5).
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return float64(utime+stime) / clockTicks
}

// machineCPU returns busy and total CPU seconds over all cores since boot.
func machineCPU() (busy, all float64) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0
	}
	var idle float64
	for i, v := range f[1:9] {
		t, _ := strconv.ParseFloat(v, 64)
		all += t
		if i == 3 || i == 4 { // idle, iowait
			idle += t
		}
	}
	return (all - idle) / clockTicks, all / clockTicks
}
