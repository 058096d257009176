// fakemaster answers a mesos-go v0 scheduler driver the way a Mesos master
// would, over mesos-go's own libprocess messenger (PID master@<ip>:<port>):
//
//	AuthenticateMessage           -> AuthenticationMechanismsMessage [CRAM-MD5]
//	AuthenticationStartMessage    -> AuthenticationStepMessage (challenge)
//	AuthenticationStepMessage     -> AuthenticationCompletedMessage | ...FailedMessage
//	RegisterFrameworkMessage      -> FrameworkRegisteredMessage, ResourceOffersMessage (1 offer)
//	LaunchTasksMessage            -> StatusUpdateMessage (TASK_RUNNING) per task
//	StatusUpdateAcknowledgementMessage -> ResourceOffersMessage (a second offer, once)
//	UnregisterFrameworkMessage    -> (nothing)
//
// Every message it sends is recorded by sentlog; every message it receives
// is printed on stdout. It exits on SIGINT/SIGTERM or after -timeout.
package main

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/gogo/protobuf/proto"
	mesos "github.com/mesos/mesos-go/api/v0/mesosproto"
	util "github.com/mesos/mesos-go/api/v0/mesosutil"
	"github.com/mesos/mesos-go/api/v0/messenger"
	"github.com/mesos/mesos-go/api/v0/upid"
	"golang.org/x/net/context"

	"segward/mesos/sentlog"
)

var (
	ip        = flag.String("ip", "192.0.2.10", "address to listen on and to put in the PID")
	port      = flag.Int("port", 5050, "port")
	hostname  = flag.String("hostname", "master.segward.test", "MasterInfo.hostname and CRAM-MD5 challenge host")
	principal = flag.String("principal", "segward-principal", "principal the CRAM-MD5 authenticator knows")
	secret    = flag.String("secret", "segward-secret", "its secret")
	agentIP   = flag.String("agent-ip", "192.0.2.30", "address of the (absent) agent named in offers")
	logPath   = flag.String("log", "master-sent.jsonl", "sent-message log")
	timeout   = flag.Duration("timeout", 45*time.Second, "exit after this long")
)

const (
	masterID    = "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b"
	frameworkID = masterID + "-0000"
	agentID     = masterID + "-S0"
	offerID     = masterID + "-O1"
	offerID2    = masterID + "-O2"
)

type master struct {
	m     *sentlog.Messenger
	self  upid.UPID
	agent string

	mu         sync.Mutex
	challenges map[string]string // authenticatee PID -> challenge sent
	authed     map[string]string // authenticated PID -> principal
	pending    map[string]string // authenticatee PID -> PID it asked to authenticate
	framework  *mesos.FrameworkInfo
	schedPID   *upid.UPID
	offered    bool
	reoffered  bool
	updates    int
}

func say(format string, args ...interface{}) {
	fmt.Printf("[master] "+format+"\n", args...)
}

func (ms *master) send(to *upid.UPID, msg proto.Message) {
	if err := ms.m.Send(context.TODO(), to, msg); err != nil {
		say("send %T to %v failed: %v", msg, to, err)
	}
}

func (ms *master) masterInfo() *mesos.MasterInfo {
	packed := uint32(0)
	if v4 := net.ParseIP(*ip).To4(); v4 != nil {
		packed = uint32(v4[0])<<24 | uint32(v4[1])<<16 | uint32(v4[2])<<8 | uint32(v4[3])
	}
	mi := util.NewMasterInfo(masterID, packed, uint32(*port))
	mi.Pid = proto.String(ms.self.String())
	mi.Hostname = proto.String(*hostname)
	mi.Version = proto.String("0.28.0")
	return mi
}

func (ms *master) authenticate(from *upid.UPID, pb proto.Message) {
	msg := pb.(*mesos.AuthenticateMessage)
	say("recv AuthenticateMessage from %v pid=%s", from, msg.GetPid())
	ms.mu.Lock()
	ms.pending[from.String()] = msg.GetPid()
	// Mesos drops any earlier authentication of that PID first.
	delete(ms.authed, msg.GetPid())
	ms.mu.Unlock()
	ms.send(from, &mesos.AuthenticationMechanismsMessage{Mechanisms: []string{"CRAM-MD5"}})
}

func (ms *master) start(from *upid.UPID, pb proto.Message) {
	msg := pb.(*mesos.AuthenticationStartMessage)
	say("recv AuthenticationStartMessage from %v mechanism=%s", from, msg.GetMechanism())
	if msg.GetMechanism() != "CRAM-MD5" {
		ms.send(from, &mesos.AuthenticationErrorMessage{Error: proto.String("unsupported mechanism")})
		return
	}
	// RFC 2195 form, as Cyrus SASL makes it: <random.timestamp@host>.
	challenge := fmt.Sprintf("<%d.%d@%s>", 1804289383, time.Now().Unix(), *hostname)
	ms.mu.Lock()
	ms.challenges[from.String()] = challenge
	ms.mu.Unlock()
	ms.send(from, &mesos.AuthenticationStepMessage{Data: []byte(challenge)})
}

func (ms *master) step(from *upid.UPID, pb proto.Message) {
	msg := pb.(*mesos.AuthenticationStepMessage)
	data := string(msg.GetData())
	say("recv AuthenticationStepMessage from %v data=%q", from, data)
	ms.mu.Lock()
	challenge, ok := ms.challenges[from.String()]
	delete(ms.challenges, from.String())
	client := ms.pending[from.String()]
	ms.mu.Unlock()
	if !ok {
		ms.send(from, &mesos.AuthenticationErrorMessage{Error: proto.String("unexpected step")})
		return
	}
	mac := hmac.New(md5.New, []byte(*secret))
	mac.Write([]byte(challenge))
	want := *principal + " " + hex.EncodeToString(mac.Sum(nil))
	if data != want {
		say("authentication of %s failed", client)
		ms.send(from, &mesos.AuthenticationFailedMessage{})
		return
	}
	ms.mu.Lock()
	ms.authed[client] = *principal
	ms.mu.Unlock()
	say("authenticated %s as %s", client, *principal)
	ms.send(from, &mesos.AuthenticationCompletedMessage{})
}

func (ms *master) register(from *upid.UPID, pb proto.Message) {
	msg := pb.(*mesos.RegisterFrameworkMessage)
	fi := msg.GetFramework()
	say("recv RegisterFrameworkMessage from %v name=%q user=%q principal=%q role=%q",
		from, fi.GetName(), fi.GetUser(), fi.GetPrincipal(), fi.GetRole())
	ms.mu.Lock()
	p, authed := ms.authed[from.String()]
	first := !ms.offered
	ms.offered = true
	ms.framework = fi
	ms.schedPID = from
	ms.mu.Unlock()
	if !authed {
		say("framework %v is not authenticated (principal %q)", from, fi.GetPrincipal())
	} else if p != fi.GetPrincipal() {
		say("framework principal %q differs from authenticated %q", fi.GetPrincipal(), p)
	}
	ms.send(from, &mesos.FrameworkRegisteredMessage{
		FrameworkId: util.NewFrameworkID(frameworkID),
		MasterInfo:  ms.masterInfo(),
	})
	if !first {
		return // a registration retry: already offered
	}
	ms.send(from, &mesos.ResourceOffersMessage{
		Offers: []*mesos.Offer{ms.offer(offerID)},
		Pids:   []string{ms.agent},
	})
}

func (ms *master) offer(id string) *mesos.Offer {
	offer := util.NewOffer(util.NewOfferID(id), util.NewFrameworkID(frameworkID),
		util.NewSlaveID(agentID), "agent-1.segward.test")
	offer.Resources = []*mesos.Resource{
		util.NewScalarResource("cpus", 2),
		util.NewScalarResource("mem", 1024),
		util.NewRangesResource("ports", []*mesos.Value_Range{util.NewValueRange(31000, 32000)}),
	}
	return offer
}

func (ms *master) launch(from *upid.UPID, pb proto.Message) {
	msg := pb.(*mesos.LaunchTasksMessage)
	say("recv LaunchTasksMessage from %v tasks=%d offers=%d", from, len(msg.GetTasks()), len(msg.GetOfferIds()))
	for _, t := range msg.GetTasks() {
		say("  task name=%q id=%q command=%q", t.GetName(), t.GetTaskId().GetValue(), t.GetCommand().GetValue())
		ms.mu.Lock()
		ms.updates++
		n := ms.updates
		ms.mu.Unlock()
		sum := md5.Sum([]byte(fmt.Sprintf("status-update-%d", n)))
		uuid := sum[:]
		status := &mesos.TaskStatus{
			TaskId:     t.GetTaskId(),
			State:      mesos.TaskState_TASK_RUNNING.Enum(),
			SlaveId:    t.GetSlaveId(),
			ExecutorId: util.NewExecutorID(t.GetTaskId().GetValue()),
			Source:     mesos.TaskStatus_SOURCE_EXECUTOR.Enum(),
			Timestamp:  proto.Float64(float64(time.Now().UnixNano()) / 1e9),
			Uuid:       uuid,
		}
		ms.send(from, &mesos.StatusUpdateMessage{
			Update: &mesos.StatusUpdate{
				FrameworkId: msg.GetFrameworkId(),
				ExecutorId:  status.ExecutorId,
				SlaveId:     t.GetSlaveId(),
				Status:      status,
				Timestamp:   status.Timestamp,
				Uuid:        uuid,
			},
			Pid: proto.String(ms.agent),
		})
	}
}

func (ms *master) ack(from *upid.UPID, pb proto.Message) {
	msg := pb.(*mesos.StatusUpdateAcknowledgementMessage)
	say("recv StatusUpdateAcknowledgementMessage from %v task=%q uuid=%x", from, msg.GetTaskId().GetValue(), msg.GetUuid())
	ms.mu.Lock()
	second := !ms.reoffered
	ms.reoffered = true
	ms.mu.Unlock()
	if second {
		// A second offer, which the scheduler answers with AcceptOffers: a
		// mesos.scheduler.Call that mesos-go posts to /api/v1/scheduler,
		// where this messenger has no route (404).
		ms.send(from, &mesos.ResourceOffersMessage{
			Offers: []*mesos.Offer{ms.offer(offerID2)},
			Pids:   []string{ms.agent},
		})
	}
}

func (ms *master) unregister(from *upid.UPID, pb proto.Message) {
	msg := pb.(*mesos.UnregisterFrameworkMessage)
	ms.mu.Lock()
	legit := ms.schedPID != nil && ms.schedPID.Equal(from)
	ms.mu.Unlock()
	say("recv UnregisterFrameworkMessage from %v framework=%q (registered pid: %v)", from, msg.GetFrameworkId().GetValue(), legit)
}

func (ms *master) other(name string) messenger.MessageHandler {
	return func(from *upid.UPID, pb proto.Message) {
		say("recv %s from %v: %v", name, from, pb)
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

	self := upid.UPID{ID: "master", Host: *ip, Port: fmt.Sprint(*port)}
	inner := messenger.NewHttpWithBindingAddress(self, net.ParseIP(*ip))
	ms := &master{
		m:          &sentlog.Messenger{Messenger: inner, Log: log, Sender: "master"},
		self:       self,
		agent:      fmt.Sprintf("slave(1)@%s:5051", *agentIP),
		challenges: map[string]string{},
		authed:     map[string]string{},
		pending:    map[string]string{},
	}
	install := func(h messenger.MessageHandler, msg proto.Message) {
		if err := inner.Install(h, msg); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	install(ms.authenticate, &mesos.AuthenticateMessage{})
	install(ms.start, &mesos.AuthenticationStartMessage{})
	install(ms.step, &mesos.AuthenticationStepMessage{})
	install(ms.register, &mesos.RegisterFrameworkMessage{})
	install(ms.launch, &mesos.LaunchTasksMessage{})
	install(ms.ack, &mesos.StatusUpdateAcknowledgementMessage{})
	install(ms.unregister, &mesos.UnregisterFrameworkMessage{})
	install(ms.other("ReregisterFrameworkMessage"), &mesos.ReregisterFrameworkMessage{})
	install(ms.other("DeactivateFrameworkMessage"), &mesos.DeactivateFrameworkMessage{})
	install(ms.other("KillTaskMessage"), &mesos.KillTaskMessage{})
	install(ms.other("ReviveOffersMessage"), &mesos.ReviveOffersMessage{})
	install(ms.other("ReconcileTasksMessage"), &mesos.ReconcileTasksMessage{})

	if err := inner.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	say("listening as %v", inner.UPID())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sig:
		say("stopping on %v", s)
	case <-time.After(*timeout):
		say("stopping after %v", *timeout)
	}
	inner.Stop()
}
