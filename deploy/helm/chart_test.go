// Package helm_test checks newsdigest's Helm chart (./newsdigest) with helm
// itself, built from its Go module (the tool in this module's go.mod, run
// with `go tool helm`): helm lint, and helm template read back as the
// Kubernetes objects it makes. It is a module of its own so that helm's
// Kubernetes dependencies stay out of newsdigest's go.mod; `make test`
// runs it (make test-chart alone).
package helm_test

import (
	"bytes"
	"fmt"
	"os/exec"
	"path"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

const chart = "./newsdigest"

// helm runs `go tool helm args...` and returns its standard output.
func helm(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"tool", "helm"}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("helm %s: %w\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String(), nil
}

// secretSets give the chart's own Secret every required value.
var secretSets = []string{
	"--set", "secrets.values.SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e",
	"--set", "secrets.values.DATABASE_URL=postgres://newsdigest:pw@db:5432/newsdigest",
	"--set", "secrets.values.REDIS_URL=redis://redis:6379/0",
	"--set", "secrets.values.SMTP_URL=smtp://relay.example.org:587",
}

func TestChartLints(t *testing.T) {
	for _, sets := range [][]string{
		{"--set", "secrets.existingSecret=newsdigest-secrets"},
		secretSets,
		{"--set", "secrets.existingSecret=s", "--set", "ingress.enabled=true", "--set", "worker.autoscaling.enabled=true",
			"--set", "dkim.existingSecret=dkim", "--set", "dkim.domain=example.org", "--set", "dkim.selector=nd"},
		append([]string{"--set", "bounceListener.tls.existingSecret=mx-tls"}, bounceSets...),
	} {
		if out, err := helm(t, append([]string{"lint", "--strict", chart}, sets...)...); err != nil {
			t.Errorf("%v\n%s", err, out)
		}
	}
}

// rendered is what helm template made, by kind and name.
type rendered map[string]map[string][]byte

func render(t *testing.T, sets ...string) rendered {
	t.Helper()
	out, err := helm(t, append([]string{"template", "nd", chart}, sets...)...)
	if err != nil {
		t.Fatal(err)
	}
	r := rendered{}
	for _, doc := range strings.Split(out, "\n---") {
		var meta struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			t.Fatalf("helm template made a document that is not YAML: %v\n%s", err, doc)
		}
		if meta.Kind == "" {
			continue
		}
		if r[meta.Kind] == nil {
			r[meta.Kind] = map[string][]byte{}
		}
		r[meta.Kind][meta.Metadata.Name] = []byte(doc)
	}
	return r
}

// get decodes the object of that kind and name into v.
func (r rendered) get(t *testing.T, kind, name string, v any) {
	t.Helper()
	doc, ok := r[kind][name]
	if !ok {
		t.Fatalf("no %s %s among %v", kind, name, r.names())
	}
	if err := yaml.UnmarshalStrict(doc, v); err != nil {
		t.Fatalf("%s %s: %v", kind, name, err)
	}
}

func (r rendered) names() []string {
	var out []string
	for kind, objs := range r {
		for name := range objs {
			out = append(out, kind+"/"+name)
		}
	}
	slices.Sort(out)
	return out
}

// TestChartWebIsADeploymentBehindAService: web's pods answer the probes
// on /healthz (alive) and /readyz (PostgreSQL and Redis answer) on the
// port web listens on, and the Service sends its traffic there.
func TestChartWebIsADeploymentBehindAService(t *testing.T) {
	r := render(t, "--set", "secrets.existingSecret=newsdigest-secrets", "--set", "web.replicas=3")
	var web appsv1.Deployment
	r.get(t, "Deployment", "nd-newsdigest-web", &web)
	if *web.Spec.Replicas != 3 {
		t.Errorf("web replicas = %d, want 3 (web.replicas)", *web.Spec.Replicas)
	}
	c := container(t, web.Spec.Template.Spec, "web")
	port := namedPort(t, c, "http")
	if addr := env(c, "HTTP_ADDR"); addr != fmt.Sprintf(":%d", port) {
		t.Errorf("web listens on HTTP_ADDR=%q, its http port is %d", addr, port)
	}
	for probe, want := range map[string]*corev1.Probe{"/healthz": c.LivenessProbe, "/readyz": c.ReadinessProbe} {
		if want == nil || want.HTTPGet == nil || want.HTTPGet.Path != probe || want.HTTPGet.Port.String() != "http" {
			t.Errorf("web probe for %s = %+v", probe, want)
		}
	}
	var svc corev1.Service
	r.get(t, "Service", "nd-newsdigest-web", &svc)
	for k, v := range svc.Spec.Selector {
		if web.Spec.Template.Labels[k] != v {
			t.Errorf("the Service selects %s=%s, which web's pods do not carry", k, v)
		}
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort.String() != "http" {
		t.Errorf("Service ports = %+v, want one to web's http port", svc.Spec.Ports)
	}
}

// TestChartWorkersScale: the workers are a Deployment whose replicas are
// set, or left to an autoscaler aimed at it.
func TestChartWorkersScale(t *testing.T) {
	var worker appsv1.Deployment
	render(t, "--set", "secrets.existingSecret=s", "--set", "worker.replicas=5").get(t, "Deployment", "nd-newsdigest-worker", &worker)
	if worker.Spec.Replicas == nil || *worker.Spec.Replicas != 5 {
		t.Errorf("worker replicas = %v, want 5", worker.Spec.Replicas)
	}
	c := container(t, worker.Spec.Template.Spec, "worker")
	if !slices.Equal(c.Command, []string{"worker"}) {
		t.Errorf("worker command = %v", c.Command)
	}
	// The worker's check for readers whose own digest is due.
	if v := env(c, "DUE_CHECK_EVERY"); v != "5m" {
		t.Errorf("worker DUE_CHECK_EVERY = %q, want 5m (values.yaml's config)", v)
	}
	if worker.Spec.Template.Spec.TerminationGracePeriodSeconds == nil || *worker.Spec.Template.Spec.TerminationGracePeriodSeconds <= 30 {
		t.Errorf("worker grace period %v: want more than Kubernetes' default 30s, to finish the messages in flight",
			worker.Spec.Template.Spec.TerminationGracePeriodSeconds)
	}

	r := render(t, "--set", "secrets.existingSecret=s", "--set", "worker.autoscaling.enabled=true")
	var scaled appsv1.Deployment
	r.get(t, "Deployment", "nd-newsdigest-worker", &scaled)
	if scaled.Spec.Replicas != nil {
		t.Errorf("with autoscaling the Deployment sets replicas (%d), which the autoscaler owns", *scaled.Spec.Replicas)
	}
	var hpa autoscalingv2.HorizontalPodAutoscaler
	r.get(t, "HorizontalPodAutoscaler", "nd-newsdigest-worker", &hpa)
	if ref := hpa.Spec.ScaleTargetRef; ref.Kind != "Deployment" || ref.Name != scaled.Name {
		t.Errorf("the autoscaler scales %s %s, not the workers", ref.Kind, ref.Name)
	}
}

// TestChartWorkerProbesAskItsPages: the worker answers /healthz and
// /readyz on the listener of its metrics (METRICS_ADDR), and its probes
// ask them there, as web's ask web's: alive while the process answers,
// ready while PostgreSQL and Redis do.
func TestChartWorkerProbesAskItsPages(t *testing.T) {
	var worker appsv1.Deployment
	render(t, "--set", "secrets.existingSecret=s").get(t, "Deployment", "nd-newsdigest-worker", &worker)
	c := container(t, worker.Spec.Template.Spec, "worker")
	port := namedPort(t, c, "metrics")
	if addr := env(c, "METRICS_ADDR"); !strings.HasSuffix(addr, fmt.Sprintf(":%d", port)) {
		t.Errorf("worker METRICS_ADDR=%q, its metrics port is %d", addr, port)
	}
	for _, p := range []struct {
		name, path string
		probe      *corev1.Probe
	}{{"startup", "/healthz", c.StartupProbe}, {"liveness", "/healthz", c.LivenessProbe}, {"readiness", "/readyz", c.ReadinessProbe}} {
		if p.probe == nil || p.probe.HTTPGet == nil || p.probe.HTTPGet.Path != p.path || p.probe.HTTPGet.Port.String() != "metrics" {
			t.Errorf("worker %s probe = %+v, want GET %s on the metrics port", p.name, p.probe, p.path)
		}
	}
}

// bounceSets turn the bounce listener on.
var bounceSets = []string{"--set", "secrets.existingSecret=s", "--set", "bounceListener.enabled=true",
	"--set", "config.BOUNCE_DOMAIN=bounce.news.example.org"}

// TestChartRunsOneBounceListener: with bounceListener.enabled one worker
// pod, of a Deployment of its own, listens for bounces (BOUNCE_SMTP_ADDR
// on its smtp port), behind a Service of the type asked for that takes
// the port asked for, selects it alone and keeps the senders' addresses;
// the other workers never listen. Without BOUNCE_DOMAIN, or with the
// listener set in config (which every pod reads), the render stops.
func TestChartRunsOneBounceListener(t *testing.T) {
	if _, ok := render(t, "--set", "secrets.existingSecret=s")["Deployment"]["nd-newsdigest-bounces"]; ok {
		t.Error("a bounce listener without bounceListener.enabled")
	}
	r := render(t, append([]string{"--set", "bounceListener.port=2526", "--set", "bounceListener.tls.existingSecret=mx-tls"}, bounceSets...)...)
	var bounces, worker appsv1.Deployment
	r.get(t, "Deployment", "nd-newsdigest-bounces", &bounces)
	r.get(t, "Deployment", "nd-newsdigest-worker", &worker)
	if bounces.Spec.Replicas == nil || *bounces.Spec.Replicas != 1 {
		t.Errorf("bounce listener replicas = %v, want 1", bounces.Spec.Replicas)
	}
	c := container(t, bounces.Spec.Template.Spec, "worker")
	if !slices.Equal(c.Command, []string{"worker"}) {
		t.Errorf("bounce listener command = %v", c.Command)
	}
	smtp := namedPort(t, c, "smtp")
	if addr := env(c, "BOUNCE_SMTP_ADDR"); addr != fmt.Sprintf(":%d", smtp) {
		t.Errorf("bounce listener BOUNCE_SMTP_ADDR=%q, its smtp port is %d", addr, smtp)
	}
	if env(c, "BOUNCE_DOMAIN") != "bounce.news.example.org" {
		t.Errorf("bounce listener BOUNCE_DOMAIN=%q", env(c, "BOUNCE_DOMAIN"))
	}
	cert, key := env(c, "BOUNCE_SMTP_TLS_CERT_FILE"), env(c, "BOUNCE_SMTP_TLS_KEY_FILE")
	if vol := volumeOfSecret(bounces.Spec.Template.Spec, "mx-tls"); vol == "" || cert == "" || key == "" ||
		path.Dir(cert) != mountPath(c, vol) || path.Dir(key) != mountPath(c, vol) {
		t.Errorf("bounce listener TLS: cert %q, key %q, not files of the Secret mx-tls as mounted", cert, key)
	}
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Errorf("bounce listener readiness probe = %+v", c.ReadinessProbe)
	}
	for _, v := range container(t, worker.Spec.Template.Spec, "worker").Env {
		if strings.HasPrefix(v.Name, "BOUNCE_SMTP_") {
			t.Errorf("the workers set %s=%q: each would listen", v.Name, v.Value)
		}
	}
	var svc corev1.Service
	r.get(t, "Service", "nd-newsdigest-bounces", &svc)
	if svc.Spec.Type != corev1.ServiceTypeLoadBalancer || svc.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyLocal {
		t.Errorf("bounce Service type %s, externalTrafficPolicy %q; want LoadBalancer and Local by default", svc.Spec.Type, svc.Spec.ExternalTrafficPolicy)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != 2526 || svc.Spec.Ports[0].TargetPort.String() != "smtp" {
		t.Errorf("bounce Service ports = %+v, want 2526 to the smtp port", svc.Spec.Ports)
	}
	for k, v := range svc.Spec.Selector {
		if bounces.Spec.Template.Labels[k] != v {
			t.Errorf("the bounce Service selects %s=%s, which the listener's pod does not carry", k, v)
		}
	}
	selectsWorkers := true
	for k, v := range svc.Spec.Selector {
		if worker.Spec.Template.Labels[k] != v {
			selectsWorkers = false
		}
	}
	if selectsWorkers {
		t.Error("the bounce Service selects the workers' pods too, which do not listen")
	}
	var workerSel = worker.Spec.Selector.MatchLabels
	matches := true
	for k, v := range workerSel {
		if bounces.Spec.Template.Labels[k] != v {
			matches = false
		}
	}
	if matches {
		t.Error("the workers' Deployment selects the bounce listener's pod")
	}

	var internal corev1.Service
	render(t, append([]string{"--set", "bounceListener.service.type=ClusterIP"}, bounceSets...)...).
		get(t, "Service", "nd-newsdigest-bounces", &internal)
	if internal.Spec.Type != corev1.ServiceTypeClusterIP || internal.Spec.ExternalTrafficPolicy != "" {
		t.Errorf("bounce Service of type ClusterIP: type %s, externalTrafficPolicy %q", internal.Spec.Type, internal.Spec.ExternalTrafficPolicy)
	}

	if _, err := helm(t, "template", "nd", chart, "--set", "secrets.existingSecret=s", "--set", "bounceListener.enabled=true"); err == nil ||
		!strings.Contains(err.Error(), "BOUNCE_DOMAIN") {
		t.Errorf("render of the listener without BOUNCE_DOMAIN: %v", err)
	}
	if _, err := helm(t, "template", "nd", chart, "--set", "secrets.existingSecret=s", "--set", "config.BOUNCE_SMTP_ADDR=:25"); err == nil ||
		!strings.Contains(err.Error(), "bounceListener") {
		t.Errorf("render with BOUNCE_SMTP_ADDR in config: %v", err)
	}
}

// TestChartMigratesBeforeEachRelease: `web migrate` runs as a Job hook
// before install and upgrade; the chart's own Secret, which it reads, is
// made before it.
func TestChartMigratesBeforeEachRelease(t *testing.T) {
	r := render(t, secretSets...)
	var job batchv1.Job
	r.get(t, "Job", "nd-newsdigest-migrate", &job)
	hooks := strings.Split(job.Annotations["helm.sh/hook"], ",")
	if !slices.Contains(hooks, "pre-install") || !slices.Contains(hooks, "pre-upgrade") {
		t.Errorf("migrations hook = %v, want pre-install and pre-upgrade", hooks)
	}
	if c := container(t, job.Spec.Template.Spec, "migrate"); !slices.Equal(c.Command, []string{"web", "migrate"}) {
		t.Errorf("migrations command = %v", c.Command)
	}
	if job.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("migrations restartPolicy = %s", job.Spec.Template.Spec.RestartPolicy)
	}
	var secret corev1.Secret
	r.get(t, "Secret", "nd-newsdigest-secrets", &secret)
	if secret.Annotations["helm.sh/hook"] != job.Annotations["helm.sh/hook"] ||
		weight(t, secret.Annotations) >= weight(t, job.Annotations) {
		t.Errorf("the Secret (hook %q, weight %s) is not made before the migrations (hook %q, weight %s)",
			secret.Annotations["helm.sh/hook"], secret.Annotations["helm.sh/hook-weight"],
			job.Annotations["helm.sh/hook"], job.Annotations["helm.sh/hook-weight"])
	}
}

// fileSecrets are the variables the programs read a secret's file from.
var fileSecrets = []string{"SECRET_KEY_FILE", "ADMIN_TOKEN_FILE", "ADMIN_PASSWORD_FILE", "DATABASE_URL_FILE", "REDIS_URL_FILE", "SMTP_URL_FILE"}

// TestChartSecretsComeFromASecret: every container reads its secrets as
// files mounted from the Secret, none from a value in its environment;
// without existingSecret the chart makes that Secret, and a required
// secret missing stops the render, naming it.
func TestChartSecretsComeFromASecret(t *testing.T) {
	for name, sets := range map[string][]string{
		"newsdigest-secrets":    {"--set", "secrets.existingSecret=newsdigest-secrets"},
		"nd-newsdigest-secrets": secretSets,
	} {
		r := render(t, sets...)
		for _, spec := range podSpecs(t, r) {
			vol := volumeOfSecret(spec, name)
			if vol == "" {
				t.Errorf("a pod mounts no volume of the Secret %s", name)
				continue
			}
			for _, c := range spec.Containers {
				mount := mountPath(c, vol)
				for _, v := range c.Env {
					if strings.Contains(v.Value, "://") && strings.Contains(v.Value, "@") {
						t.Errorf("%s: %s holds a URL with credentials in the environment", c.Name, v.Name)
					}
				}
				for _, v := range fileSecrets {
					if name == "nd-newsdigest-secrets" && (v == "ADMIN_TOKEN_FILE" || v == "ADMIN_PASSWORD_FILE") {
						continue // not given: that door stays shut
					}
					if p := env(c, v); mount == "" || path.Dir(p) != mount {
						t.Errorf("%s: %s=%q, not a file of the Secret's volume (mounted at %q)", c.Name, v, p, mount)
					}
				}
			}
		}
	}
	_, err := helm(t, "template", "nd", chart, "--set", "secrets.values.SECRET_KEY=x")
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL is required") {
		t.Errorf("render without DATABASE_URL: %v", err)
	}
}

// TestChartRunsUnprivileged: every pod runs as a user other than root,
// with no way to gain privileges, a read-only root filesystem, no
// capabilities, limits on memory, and no service account token.
func TestChartRunsUnprivileged(t *testing.T) {
	r := render(t, append([]string{"--set", "worker.autoscaling.enabled=true"}, secretSets...)...)
	for _, spec := range podSpecs(t, r) {
		psc := spec.SecurityContext
		if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
			t.Errorf("pod securityContext %+v: want runAsNonRoot and a user other than 0", psc)
		}
		if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
			t.Error("a pod mounts a service account token it has no use for")
		}
		for _, c := range spec.Containers {
			sc := c.SecurityContext
			if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
				sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
				sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
				t.Errorf("%s: securityContext %+v", c.Name, sc)
			}
			if c.Resources.Limits.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
				t.Errorf("%s: resources %+v: want a memory limit and a CPU request", c.Name, c.Resources)
			}
		}
	}
}

// podSpecs are the pod templates of the Deployments and the Job.
func podSpecs(t *testing.T, r rendered) []corev1.PodSpec {
	t.Helper()
	var specs []corev1.PodSpec
	for name := range r["Deployment"] {
		var d appsv1.Deployment
		r.get(t, "Deployment", name, &d)
		specs = append(specs, d.Spec.Template.Spec)
	}
	for name := range r["Job"] {
		var j batchv1.Job
		r.get(t, "Job", name, &j)
		specs = append(specs, j.Spec.Template.Spec)
	}
	if len(specs) != 3 {
		t.Fatalf("%d pod templates, want web, worker and the migrations: %v", len(specs), r.names())
	}
	return specs
}

func container(t *testing.T, spec corev1.PodSpec, name string) corev1.Container {
	t.Helper()
	for _, c := range spec.Containers {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no container %s", name)
	return corev1.Container{}
}

func namedPort(t *testing.T, c corev1.Container, name string) int32 {
	t.Helper()
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	t.Fatalf("%s: no port named %s", c.Name, name)
	return 0
}

func env(c corev1.Container, name string) string {
	for _, v := range c.Env {
		if v.Name == name {
			return v.Value
		}
	}
	return ""
}

func volumeOfSecret(spec corev1.PodSpec, secret string) string {
	for _, v := range spec.Volumes {
		if v.Secret != nil && v.Secret.SecretName == secret {
			return v.Name
		}
	}
	return ""
}

func mountPath(c corev1.Container, volume string) string {
	for _, m := range c.VolumeMounts {
		if m.Name == volume {
			return m.MountPath
		}
	}
	return ""
}

func weight(t *testing.T, annotations map[string]string) int {
	t.Helper()
	var w int
	if _, err := fmt.Sscan(annotations["helm.sh/hook-weight"], &w); err != nil {
		t.Fatalf("hook weight %q: %v", annotations["helm.sh/hook-weight"], err)
	}
	return w
}
