package main

// A CRAM-MD5 authenticatee for the driver, the same exchange as mesos-go's
// own auth/sasl provider (a separate messenger "sasl_authenticatee(N)" on an
// ephemeral port of the driver's address; AuthenticateMessage ->
// mechanisms -> AuthenticationStartMessage -> step -> step -> completed),
// built from mesos-go's messenger and its registered CRAM-MD5 mechanism.
// mesos-go's provider creates its messenger internally, so its sends could
// not be recorded; this one wraps its messenger with sentlog.

import (
	"errors"
	"fmt"
	"net"

	"github.com/gogo/protobuf/proto"
	"github.com/mesos/mesos-go/api/v0/auth"
	"github.com/mesos/mesos-go/api/v0/auth/callback"
	"github.com/mesos/mesos-go/api/v0/auth/sasl/mech"
	_ "github.com/mesos/mesos-go/api/v0/auth/sasl/mech/crammd5"
	mesos "github.com/mesos/mesos-go/api/v0/mesosproto"
	"github.com/mesos/mesos-go/api/v0/mesosutil/process"
	"github.com/mesos/mesos-go/api/v0/messenger"
	"github.com/mesos/mesos-go/api/v0/upid"
	"golang.org/x/net/context"

	"segward/mesos/sentlog"
)

const providerName = "segward-sasl"

type authKey int

const authLogKey authKey = 0

type authEnv struct {
	log  *sentlog.Log
	bind net.IP
}

func withAuthLog(ctx context.Context, log *sentlog.Log, bind net.IP) context.Context {
	return context.WithValue(ctx, authLogKey, authEnv{log, bind})
}

type authEvent struct {
	from *upid.UPID
	msg  proto.Message
}

func init() {
	if err := auth.RegisterAuthenticateeProvider(providerName, auth.AuthenticateeFunc(authenticate)); err != nil {
		panic(err)
	}
}

func authenticate(ctx context.Context, handler callback.Handler) error {
	env, ok := ctx.Value(authLogKey).(authEnv)
	if !ok {
		return errors.New("no auth log in context")
	}
	parent := auth.ParentUPID(ctx)
	if parent == nil {
		return errors.New("no parent UPID in context")
	}
	ip := callback.NewInterprocess()
	if err := handler.Handle(ip); err != nil {
		return err
	}
	server, client := ip.Server(), ip.Client()

	tpid := upid.UPID{ID: process.New("sasl_authenticatee").Label(), Host: parent.Host, Port: "0"}
	inner := messenger.NewHttpWithBindingAddress(tpid, env.bind)
	m := &sentlog.Messenger{Messenger: inner, Log: env.log, Sender: "scheduler"}

	events := make(chan authEvent, 8)
	for _, msg := range []proto.Message{
		&mesos.AuthenticationMechanismsMessage{},
		&mesos.AuthenticationStepMessage{},
		&mesos.AuthenticationCompletedMessage{},
		&mesos.AuthenticationFailedMessage{},
		&mesos.AuthenticationErrorMessage{},
	} {
		if err := inner.Install(func(from *upid.UPID, pb proto.Message) {
			select {
			case events <- authEvent{from, pb}:
			default:
			}
		}, msg); err != nil {
			return err
		}
	}
	if err := inner.Start(); err != nil {
		return err
	}
	defer inner.Stop()

	if err := m.Send(ctx, &server, &mesos.AuthenticateMessage{Pid: proto.String(client.String())}); err != nil {
		return err
	}
	var (
		mechanism mech.Interface
		stepFn    mech.StepFunc
		peer      *upid.UPID
	)
	for {
		var ev authEvent
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev = <-events:
		}
		if peer != nil && !peer.Equal(ev.from) {
			return fmt.Errorf("authenticator PID changed from %v to %v", peer, ev.from)
		}
		switch msg := ev.msg.(type) {
		case *mesos.AuthenticationMechanismsMessage:
			name, factory := mech.SelectSupported(msg.GetMechanisms())
			if name == "" {
				return fmt.Errorf("no supported mechanism in %v", msg.GetMechanisms())
			}
			var err error
			if mechanism, stepFn, err = factory(handler); err != nil {
				return err
			}
			peer = ev.from
			var data []byte
			if stepFn, data, err = stepFn(mechanism, nil); err != nil {
				return err
			}
			start := &mesos.AuthenticationStartMessage{Mechanism: proto.String(name), Data: data}
			if err := m.Send(ctx, peer, start); err != nil {
				return err
			}
		case *mesos.AuthenticationStepMessage:
			if stepFn == nil {
				return errors.New("step before mechanisms")
			}
			next, out, err := stepFn(mechanism, msg.GetData())
			if err != nil {
				return err
			}
			stepFn = next
			reply := &mesos.AuthenticationStepMessage{}
			if len(out) > 0 {
				reply.Data = out
			}
			if err := m.Send(ctx, peer, reply); err != nil {
				return err
			}
		case *mesos.AuthenticationCompletedMessage:
			say("authenticated as %s", *principal)
			return nil
		case *mesos.AuthenticationFailedMessage:
			return auth.AuthenticationFailed
		case *mesos.AuthenticationErrorMessage:
			return fmt.Errorf("authentication error: %s", msg.GetError())
		}
	}
}
