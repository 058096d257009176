// Package sentlog records, as JSON lines, every libprocess message a
// mesos-go program hands to its messenger, so that a capture of the same run
// can be checked against what the programs say they sent.
//
// One record per message, written before the message is queued for sending
// (mesos-go's messenger sends from one goroutine in queue order, so the
// timestamp order is the wire order of one sender).
package sentlog

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/gogo/protobuf/proto"
	mesos "github.com/mesos/mesos-go/api/v0/mesosproto"
	"github.com/mesos/mesos-go/api/v0/mesosproto/scheduler"
	"github.com/mesos/mesos-go/api/v0/messenger"
	"github.com/mesos/mesos-go/api/v0/upid"
	"golang.org/x/net/context"
)

// Framework is what a message says about a framework.
type Framework struct {
	Name      string   `json:"name,omitempty"`
	User      string   `json:"user,omitempty"`
	Principal string   `json:"principal,omitempty"`
	Role      string   `json:"role,omitempty"`
	Roles     []string `json:"roles,omitempty"`
	Hostname  string   `json:"hostname,omitempty"`
	ID        string   `json:"id,omitempty"`
}

// Task is what a message says about a task.
type Task struct {
	Name          string `json:"name,omitempty"`
	ID            string `json:"id,omitempty"`
	AgentID       string `json:"agent_id,omitempty"`
	Command       string `json:"command,omitempty"`
	Image         string `json:"image,omitempty"`
	ContainerType string `json:"container_type,omitempty"`
}

// Offer is what a ResourceOffersMessage says about one offer.
type Offer struct {
	ID       string `json:"id"`
	AgentID  string `json:"agent_id,omitempty"`
	AgentPID string `json:"agent_pid,omitempty"`
	Hostname string `json:"hostname,omitempty"`
}

// Record is one sent.jsonl line.
type Record struct {
	TS         float64    `json:"ts"`
	Kind       string     `json:"kind"`
	Sender     string     `json:"sender"`
	Message    string     `json:"message"`
	FromPID    string     `json:"from_pid"`
	ToPID      string     `json:"to_pid"`
	Method     string     `json:"method"`
	URI        string     `json:"uri"`
	BodyLen    int        `json:"body_len"`
	Framework  *Framework `json:"framework,omitempty"`
	Task       *Task      `json:"task,omitempty"`
	Tasks      int        `json:"tasks,omitempty"`
	Status     string     `json:"status,omitempty"`
	Offers     []Offer    `json:"offers,omitempty"`
	MasterPID  string     `json:"master_pid,omitempty"`
	AuthPID    string     `json:"auth_pid,omitempty"`
	Mechanisms []string   `json:"mechanisms,omitempty"`
	Mechanism  string     `json:"mechanism,omitempty"`
	Principal  string     `json:"principal,omitempty"`
	StepData   string     `json:"step_data,omitempty"`
	SpoofedPID bool       `json:"spoofed_pid,omitempty"`
	// A mesos.scheduler.Call leaves mesos-go 0.0.6's messenger as a plain
	// v1-style HTTP request, so its record is kind "api" with these too.
	Call        string `json:"call,omitempty"`
	Endpoint    string `json:"endpoint,omitempty"`
	AuthScheme  string `json:"auth_scheme,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	PIDHeader   string `json:"pid_header,omitempty"`
	SrcIP       string `json:"src_ip,omitempty"`
	Dst         string `json:"dst,omitempty"`
}

// Log appends records to a file, one JSON object per line.
type Log struct {
	mu sync.Mutex
	f  *os.File
}

// Open creates (or truncates) path.
func Open(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &Log{f: f}, nil
}

// Write appends one record as one line (a single write call).
func (l *Log) Write(r *Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err = l.f.Write(append(b, '\n'))
	return err
}

// Close closes the file.
func (l *Log) Close() error { return l.f.Close() }

// Now is the record timestamp: Unix seconds, microsecond resolution, the
// same clock tcpdump stamps frames with.
func Now() float64 {
	return float64(time.Now().UnixNano()/1000) / 1e6
}

// MessageName is the protobuf full type name of msg and the request path
// mesos-go puts it on, mirroring messenger.getMessageName/Message.RequestURI
// in mesos-go 0.0.6: every v0 type goes to /<to.ID>/mesos.internal.<Type>;
// a mesos.scheduler.Call is named "scheduler" and goes to /api/v1/scheduler
// (without Libprocess-From).
func MessageName(to *upid.UPID, msg proto.Message) (full, uri string) {
	if _, ok := msg.(*scheduler.Call); ok {
		return "mesos.scheduler.Call", "/api/v1/scheduler"
	}
	name := "mesos.internal." + reflect.TypeOf(msg).Elem().Name()
	return name, fmt.Sprintf("/%s/%s", to.ID, name)
}

func frameworkInfo(fi *mesos.FrameworkInfo) *Framework {
	if fi == nil {
		return nil
	}
	f := &Framework{
		Name:      fi.GetName(),
		User:      fi.GetUser(),
		Principal: fi.GetPrincipal(),
		Hostname:  fi.GetHostname(),
		ID:        fi.GetId().GetValue(),
	}
	// mesos-go 0.0.6's FrameworkInfo has only the singular (deprecated)
	// role, field 6; Mesos treats a non-MULTI_ROLE framework's role as its
	// one-element roles list, and so does this record.
	if fi.Role != nil {
		f.Role = fi.GetRole()
		f.Roles = []string{fi.GetRole()}
	}
	return f
}

func frameworkID(id *mesos.FrameworkID) *Framework {
	if id == nil {
		return nil
	}
	return &Framework{ID: id.GetValue()}
}

func taskInfo(t *mesos.TaskInfo) *Task {
	out := &Task{
		Name:    t.GetName(),
		ID:      t.GetTaskId().GetValue(),
		AgentID: t.GetSlaveId().GetValue(),
		Command: t.GetCommand().GetValue(),
	}
	if c := t.GetContainer(); c != nil {
		out.ContainerType = c.GetType().String()
		if img := c.GetMesos().GetImage(); img != nil {
			out.Image = img.GetDocker().GetName()
			if out.Image == "" {
				out.Image = img.GetAppc().GetName()
			}
		} else if d := c.GetDocker(); d != nil {
			out.Image = d.GetImage()
		}
	}
	return out
}

// Describe fills r with what msg says about frameworks, tasks and
// authentication.
func Describe(r *Record, msg proto.Message) {
	switch m := msg.(type) {
	case *mesos.RegisterFrameworkMessage:
		r.Framework = frameworkInfo(m.GetFramework())
	case *mesos.ReregisterFrameworkMessage:
		r.Framework = frameworkInfo(m.GetFramework())
	case *mesos.FrameworkRegisteredMessage:
		r.Framework = frameworkID(m.GetFrameworkId())
		r.MasterPID = m.GetMasterInfo().GetPid()
	case *mesos.FrameworkReregisteredMessage:
		r.Framework = frameworkID(m.GetFrameworkId())
		r.MasterPID = m.GetMasterInfo().GetPid()
	case *mesos.UnregisterFrameworkMessage:
		r.Framework = frameworkID(m.GetFrameworkId())
	case *mesos.DeactivateFrameworkMessage:
		r.Framework = frameworkID(m.GetFrameworkId())
	case *mesos.ResourceOffersMessage:
		for i, o := range m.GetOffers() {
			off := Offer{ID: o.GetId().GetValue(), AgentID: o.GetSlaveId().GetValue(), Hostname: o.GetHostname()}
			if i < len(m.GetPids()) {
				off.AgentPID = m.GetPids()[i]
			}
			r.Offers = append(r.Offers, off)
			if r.Framework == nil {
				r.Framework = frameworkID(o.GetFrameworkId())
			}
		}
	case *mesos.LaunchTasksMessage:
		r.Framework = frameworkID(m.GetFrameworkId())
		r.Tasks = len(m.GetTasks())
		if len(m.GetTasks()) > 0 {
			r.Task = taskInfo(m.GetTasks()[0])
		}
		for _, id := range m.GetOfferIds() {
			r.Offers = append(r.Offers, Offer{ID: id.GetValue()})
		}
	case *mesos.StatusUpdateMessage:
		u := m.GetUpdate()
		r.Framework = frameworkID(u.GetFrameworkId())
		r.Task = &Task{ID: u.GetStatus().GetTaskId().GetValue(), AgentID: u.GetSlaveId().GetValue()}
		r.Status = u.GetStatus().GetState().String()
	case *mesos.StatusUpdateAcknowledgementMessage:
		r.Framework = frameworkID(m.GetFrameworkId())
		r.Task = &Task{ID: m.GetTaskId().GetValue(), AgentID: m.GetSlaveId().GetValue()}
	case *mesos.KillTaskMessage:
		r.Framework = frameworkID(m.GetFrameworkId())
		r.Task = &Task{ID: m.GetTaskId().GetValue()}
	case *mesos.ReviveOffersMessage:
		r.Framework = frameworkID(m.GetFrameworkId())
	case *mesos.ReconcileTasksMessage:
		r.Framework = frameworkID(m.GetFrameworkId())
	case *scheduler.Call:
		r.Framework = frameworkID(m.GetFrameworkId())
		r.Call = m.GetType().String()
		if a := m.GetAccept(); a != nil {
			for _, id := range a.GetOfferIds() {
				r.Offers = append(r.Offers, Offer{ID: id.GetValue()})
			}
			for _, op := range a.GetOperations() {
				for _, t := range op.GetLaunch().GetTaskInfos() {
					r.Tasks++
					if r.Task == nil {
						r.Task = taskInfo(t)
					}
				}
			}
		}
	case *mesos.AuthenticateMessage:
		r.AuthPID = m.GetPid()
	case *mesos.AuthenticationMechanismsMessage:
		r.Mechanisms = m.GetMechanisms()
	case *mesos.AuthenticationStartMessage:
		r.Mechanism = m.GetMechanism()
	case *mesos.AuthenticationStepMessage:
		r.StepData = string(m.GetData())
		r.Principal = cramPrincipal(r.StepData)
	}
}

// cramPrincipal returns the principal of a CRAM-MD5 response
// ("<principal> <32 lowercase hex digits>"), or "" for anything else (a
// challenge looks like "<random.timestamp@host>").
func cramPrincipal(data string) string {
	i := strings.LastIndexByte(data, ' ')
	if i <= 0 || len(data)-i-1 != 32 {
		return ""
	}
	for _, c := range data[i+1:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return ""
		}
	}
	return data[:i]
}

// Messenger wraps a mesos-go messenger and records every Send.
type Messenger struct {
	messenger.Messenger
	Log    *Log
	Sender string // "scheduler" or "master"
}

// Send records msg, then queues it on the wrapped messenger.
func (m *Messenger) Send(ctx context.Context, to *upid.UPID, msg proto.Message) error {
	ts := Now()
	body, err := proto.Marshal(msg)
	if err != nil {
		return err
	}
	full, uri := MessageName(to, msg)
	self := m.Messenger.UPID()
	r := &Record{
		TS:      ts,
		Kind:    "libprocess",
		Sender:  m.Sender,
		Message: full,
		FromPID: self.String(),
		ToPID:   to.String(),
		Method:  "POST",
		URI:     uri,
		BodyLen: len(body),
	}
	if _, ok := msg.(*scheduler.Call); ok {
		r.Kind = "api"
		r.Endpoint = uri
		r.AuthScheme = "none"
		r.ContentType = "application/x-protobuf"
		r.PIDHeader = "none" // no Libprocess-From, Go's own User-Agent
		r.SrcIP = self.Host
		r.Dst = to.Host + ":" + to.Port
	}
	Describe(r, msg)
	if err := m.Messenger.Send(ctx, to, msg); err != nil {
		return err
	}
	return m.Log.Write(r)
}

// Route sends messages for other processes through Send (so they are
// recorded); messages to self stay internal.
func (m *Messenger) Route(ctx context.Context, to *upid.UPID, msg proto.Message) error {
	if to != nil && *to != m.Messenger.UPID() {
		return m.Send(ctx, to, msg)
	}
	return m.Messenger.Route(ctx, to, msg)
}
