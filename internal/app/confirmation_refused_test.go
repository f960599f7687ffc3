package app_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hibiken/asynq"

	"newsdigest/internal/app"
	"newsdigest/internal/tasks"
)

// TestConfirmationRefusedAtOnce: a relay that refuses a sign-up's address
// at once (550 5.1.1, a mistyped address) has it recorded as the hard
// bounce it is: the sign-up is bounced, its task ends without a trace in
// the queue's archive (which would raise the operator's alert for every
// mistyped sign-up), and signing the address up again sends nothing. A
// refusal of the sender (550 5.7.26, the operator's to mend) still fails
// the task, and leaves the sign-up as it was.
func TestConfirmationRefusedAtOnce(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const typo, blocked = "lectora@exmaple.org", "lector@example.org"
	var triesTypo atomic.Int32
	s.smtp.Reject = func(rcpt string) error {
		switch strings.ToLower(rcpt) {
		case typo:
			triesTypo.Add(1)
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + typo + ">: Recipient address rejected: User unknown"}
		case blocked:
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 26}, Message: "This mail has been blocked because the sender is unauthenticated."}
		}
		return nil
	}
	for _, addr := range []string{typo, blocked} {
		s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"}}, nil, http.StatusAccepted)
	}

	opt, err := app.RedisOpt(s.cfg.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	archivedConfirmations := func() int {
		archived, _ := insp.ListArchivedTasks(tasks.QueueCritical)
		n := 0
		for _, a := range archived {
			if a.Type == tasks.TypeConfirmationMail {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		status, _ := subscriberState(t, s, typo)
		if status == "bounced" && archivedConfirmations() == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 60s the mistyped sign-up is %s and %d confirmations are archived; want it bounced and only the blocked one archived",
				status, archivedConfirmations())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status, _ := subscriberState(t, s, blocked); status != "pending" {
		t.Errorf("the sign-up whose confirmation the relay refused as the sender's fault is %s, want pending", status)
	}

	// Signed up again, the bounced address is sent nothing.
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": typo, "countries": []string{"CR"}}, nil, http.StatusAccepted)
	s.waitQueuesIdle()
	if n := triesTypo.Load(); n != 1 {
		t.Errorf("the relay was offered the mistyped address %d times, want once", n)
	}
}
