// scheduler is a small framework on mesos-go 0.0.6's v0 scheduler driver.
// It authenticates with CRAM-MD5, registers a distinctive FrameworkInfo,
// launches one task on the first offer (LaunchTasks), waits for TASK_RUNNING
// (the driver acknowledges it), answers the second offer with AcceptOffers,
// then stops the driver, which unregisters the framework.
//
// The driver's messenger is mesos-go's HTTP messenger wrapped by sentlog,
// so every message the driver sends is recorded.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/gogo/protobuf/proto"
	"github.com/mesos/mesos-go/api/v0/auth"
	"github.com/mesos/mesos-go/api/v0/auth/sasl"
	"github.com/mesos/mesos-go/api/v0/detector"
	mesos "github.com/mesos/mesos-go/api/v0/mesosproto"
	util "github.com/mesos/mesos-go/api/v0/mesosutil"
	"github.com/mesos/mesos-go/api/v0/mesosutil/process"
	"github.com/mesos/mesos-go/api/v0/messenger"
	sched "github.com/mesos/mesos-go/api/v0/scheduler"
	"github.com/mesos/mesos-go/api/v0/upid"
	"golang.org/x/net/context"

	"segward/mesos/sentlog"
)

var (
	masterPID = flag.String("master", "master@192.0.2.10:5050", "master PID")
	ip        = flag.String("ip", "192.0.2.20", "address to bind and to put in the PID")
	hostname  = flag.String("hostname", "scheduler.segward.test", "FrameworkInfo.hostname")
	principal = flag.String("principal", "segward-principal", "credential principal")
	secret    = flag.String("secret", "segward-secret", "credential secret")
	noAuth    = flag.Bool("no-auth", false, "register without CRAM-MD5 authentication")
	libSASL   = flag.Bool("library-sasl", false, "authenticate with mesos-go's own SASL provider (its messages are not logged; for comparing the wire only)")
	logPath   = flag.String("log", "scheduler-sent.jsonl", "sent-message log")
	timeout   = flag.Duration("timeout", 30*time.Second, "give up after this long")
)

const (
	frameworkName = "segward-test-framework"
	frameworkUser = "nobody"
	frameworkRole = "segward-role"
	taskName      = "segward-task"
	taskID        = "segward-task-0001"
	taskCommand   = "sleep 1"
	taskImage     = "library/busybox:1.36"
	taskName2     = "segward-task-accepted"
	taskID2       = "segward-task-0002"
	taskCommand2  = "sleep 2"
)

type framework struct {
	launched bool
	running  chan struct{}
	accepted chan struct{}
	failed   chan string
}

func say(format string, args ...interface{}) {
	fmt.Printf("[scheduler] "+format+"\n", args...)
}

func (f *framework) Registered(_ sched.SchedulerDriver, id *mesos.FrameworkID, mi *mesos.MasterInfo) {
	say("registered as %s with master %s", id.GetValue(), mi.GetPid())
}
func (f *framework) Reregistered(_ sched.SchedulerDriver, mi *mesos.MasterInfo) {
	say("re-registered with %s", mi.GetPid())
}
func (f *framework) Disconnected(sched.SchedulerDriver) { say("disconnected") }

func (f *framework) ResourceOffers(d sched.SchedulerDriver, offers []*mesos.Offer) {
	for _, o := range offers {
		say("offer %s from %s (%s)", o.GetId().GetValue(), o.GetSlaveId().GetValue(), o.GetHostname())
		if f.launched {
			// The second offer: AcceptOffers with a LAUNCH operation, which
			// mesos-go 0.0.6 sends as a mesos.scheduler.Call ACCEPT.
			task := newTask(taskName2, taskID2, taskCommand2, o.SlaveId)
			op := util.NewLaunchOperation([]*mesos.TaskInfo{task})
			if _, err := d.AcceptOffers([]*mesos.OfferID{o.Id}, []*mesos.Offer_Operation{op}, &mesos.Filters{}); err != nil {
				f.failed <- "accept: " + err.Error()
				return
			}
			f.accepted <- struct{}{}
			continue
		}
		f.launched = true
		task := newTask(taskName, taskID, taskCommand, o.SlaveId)
		if _, err := d.LaunchTasks([]*mesos.OfferID{o.Id}, []*mesos.TaskInfo{task}, &mesos.Filters{}); err != nil {
			f.failed <- "launch: " + err.Error()
		}
	}
}

func newTask(name, id, command string, agent *mesos.SlaveID) *mesos.TaskInfo {
	return &mesos.TaskInfo{
		Name:    proto.String(name),
		TaskId:  util.NewTaskID(id),
		SlaveId: agent,
		Resources: []*mesos.Resource{
			util.NewScalarResource("cpus", 0.1),
			util.NewScalarResource("mem", 32),
		},
		Command: &mesos.CommandInfo{
			Value: proto.String(command),
			Shell: proto.Bool(true),
		},
		Container: &mesos.ContainerInfo{
			Type: mesos.ContainerInfo_MESOS.Enum(),
			Mesos: &mesos.ContainerInfo_MesosInfo{
				Image: &mesos.Image{
					Type:   mesos.Image_DOCKER.Enum(),
					Docker: &mesos.Image_Docker{Name: proto.String(taskImage)},
				},
			},
		},
	}
}

func (f *framework) OfferRescinded(_ sched.SchedulerDriver, id *mesos.OfferID) {
	say("offer %s rescinded", id.GetValue())
}

func (f *framework) StatusUpdate(_ sched.SchedulerDriver, s *mesos.TaskStatus) {
	say("status %s for %s", s.GetState(), s.GetTaskId().GetValue())
	if s.GetState() == mesos.TaskState_TASK_RUNNING && s.GetTaskId().GetValue() == taskID {
		select {
		case f.running <- struct{}{}:
		default:
		}
	}
}
func (f *framework) FrameworkMessage(sched.SchedulerDriver, *mesos.ExecutorID, *mesos.SlaveID, string) {
}
func (f *framework) SlaveLost(sched.SchedulerDriver, *mesos.SlaveID) {}
func (f *framework) ExecutorLost(sched.SchedulerDriver, *mesos.ExecutorID, *mesos.SlaveID, int) {
}
func (f *framework) Error(_ sched.SchedulerDriver, msg string) {
	say("error: %s", msg)
	select {
	case f.failed <- msg:
	default:
	}
}

// staticDetector names one master at once, as a ZooKeeper detector would.
// (mesos-go's standalone detector would first poll GET /state on the
// master, which a mesos-go messenger cannot serve.)
type staticDetector struct {
	mi   *mesos.MasterInfo
	done chan struct{}
}

func (s *staticDetector) Detect(o detector.MasterChanged) error {
	go o.OnMasterChanged(s.mi)
	return nil
}
func (s *staticDetector) Done() <-chan struct{} { return s.done }
func (s *staticDetector) Cancel() {
	select {
	case <-s.done:
	default:
		close(s.done)
	}
}

func main() {
	// glog (used by mesos-go) logs to files in $TMPDIR unless told otherwise.
	flag.Set("logtostderr", "true")
	flag.Parse()
	log, err := sentlog.Open(*logPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer log.Close()
	bind := net.ParseIP(*ip)

	master, err := upid.Parse(*masterPID)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mi := detector.CreateMasterInfo(master)

	fw := &mesos.FrameworkInfo{
		Name:            proto.String(frameworkName),
		User:            proto.String(frameworkUser),
		Principal:       proto.String(*principal),
		Role:            proto.String(frameworkRole),
		Hostname:        proto.String(*hostname),
		FailoverTimeout: proto.Float64(0),
		Checkpoint:      proto.Bool(false),
	}
	cfg := sched.DriverConfig{
		Scheduler:        &framework{running: make(chan struct{}, 1), accepted: make(chan struct{}, 1), failed: make(chan string, 4)},
		Framework:        fw,
		Master:           *masterPID,
		HostnameOverride: *hostname,
		BindingAddress:   bind,
		NewDetector: func() (detector.Master, error) {
			return &staticDetector{mi: mi, done: make(chan struct{})}, nil
		},
		// Same as the driver's default messenger (process "scheduler",
		// mesos-go HTTP transport on an ephemeral port), plus the log.
		NewMessenger: func() (messenger.Messenger, error) {
			m, err := messenger.ForHostname(process.New("scheduler"), *hostname, bind, 0, nil)
			if err != nil {
				return nil, err
			}
			return &sentlog.Messenger{Messenger: m, Log: log, Sender: "scheduler"}, nil
		},
	}
	if !*noAuth {
		cfg.Credential = &mesos.Credential{Principal: proto.String(*principal), Secret: proto.String(*secret)}
		cfg.WithAuthContext = func(ctx context.Context) context.Context {
			if *libSASL {
				ctx = auth.WithLoginProvider(ctx, sasl.ProviderName)
				return sasl.WithBindingAddress(ctx, bind)
			}
			ctx = auth.WithLoginProvider(ctx, providerName)
			ctx = auth.WithTimeout(ctx, 10*time.Second)
			return withAuthLog(ctx, log, bind)
		}
	}
	fwImpl := cfg.Scheduler.(*framework)

	driver, err := sched.NewMesosSchedulerDriver(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "driver:", err)
		os.Exit(1)
	}
	if st, err := driver.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "start: %v (%v)\n", err, st)
		os.Exit(1)
	}
	rc := 0
	deadline := time.After(*timeout)
	for running, accepted := false, false; rc == 0 && !(running && accepted); {
		select {
		case <-fwImpl.running:
			running = true
		case <-fwImpl.accepted:
			accepted = true
		case msg := <-fwImpl.failed:
			say("failed: %s", msg)
			rc = 1
		case <-deadline:
			say("timed out after %v (running=%v accepted=%v)", *timeout, running, accepted)
			rc = 1
		}
	}
	if rc == 0 {
		say("task running, second offer accepted; stopping the driver (unregisters the framework)")
	}
	// Stop(false) sends UnregisterFrameworkMessage, waits 2 s, stops the
	// messenger.
	if st, err := driver.Stop(false); err != nil {
		say("stop: %v (%v)", err, st)
	}
	joined := make(chan struct{})
	go func() { driver.Join(); close(joined) }()
	select {
	case <-joined:
	case <-time.After(5 * time.Second):
		say("join timed out")
	}
	os.Exit(rc)
}
