package server

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/internal/svgchart"
	"github.com/srex-dev/lipservice-go/server/store"
)

// dashboardTmpl is the self-contained dashboard page: inline CSS and an
// inline SVG chart, no external assets.
var dashboardTmpl = template.Must(template.New("dashboard").Funcs(template.FuncMap{
	"pct":   func(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + " %" },
	"rate":  func(f float64) string { return strconv.FormatFloat(f, 'g', 4, 64) },
	"count": func(n int64) string { return strconv.FormatInt(n, 10) },
	"when":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LipService dashboard</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1c2430}
header{background:#1c2430;color:#fff;padding:12px 24px;display:flex;justify-content:space-between;align-items:center}
header h1{font-size:18px;margin:0} main{padding:16px 24px;max-width:1200px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px 16px;margin-bottom:16px}
h2{font-size:15px;margin:0 0 8px} table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3;vertical-align:top}
th{font-weight:600;color:#56606e} th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:12px} a{color:#2458c6} .cards{display:flex;gap:12px;flex-wrap:wrap}
.card{flex:1;min-width:150px;background:#f0f4fb;border-radius:6px;padding:8px 12px}
.card b{display:block;font-size:20px} .sel{font-weight:700}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
.chart-bg{fill:#fbfcfd}
form.login{max-width:420px} input[type=password]{width:100%;padding:6px}
</style></head><body>
<header><h1>LipService</h1>{{if .Team}}<form method="post" action="/dashboard/logout"><span>team {{.Team}}</span> <button>log out</button></form>{{end}}</header>
<main>
{{if not .Team}}
<section><h2>Log in</h2>
<form class="login" method="post" action="/dashboard/login">
<p>Paste an API key (<code>lipservice-server keys create --team N</code>).</p>
<input type="password" name="key" autocomplete="off" placeholder="lsk_..."> <button>Log in</button>
{{if .LoginError}}<p role="alert">{{.LoginError}}</p>{{end}}
</form></section>
{{else}}
<section><h2>Services</h2>
{{if not .Services}}<p>No services yet. Instances create them by posting stats.</p>{{else}}
<table><tr><th>service</th><th class="n">records ({{.Window}})</th><th class="n">kept</th><th class="n">savings</th><th>last stats</th></tr>
{{range .Services}}<tr><td><a href="/dashboard?service={{.Name}}"{{if .Selected}} class="sel"{{end}}>{{.Name}}</a></td><td class="n">{{count .Total}}</td><td class="n">{{count .Kept}}</td><td class="n">{{pct .Savings}}</td><td>{{if not .StatsAt.IsZero}}{{when .StatsAt}}{{end}}</td></tr>
{{end}}</table>{{end}}
</section>
{{with .Detail}}
<section><h2>{{.Name}}</h2>
<div class="cards">
<div class="card">records ({{$.Window}})<b>{{count .Total}}</b></div>
<div class="card">kept<b>{{count .Kept}}</b></div>
<div class="card">savings<b>{{pct .Savings}}</b></div>
<div class="card">policy version<b>{{.Version}}</b></div>
<div class="card">patterns<b>{{len .Patterns}}</b></div>
</div></section>
<section><h2>Volume per minute</h2>
{{.Chart.SVG}}
<div class="legend"><span style="background:#9aa5b4"></span>seen <span style="background:#2458c6"></span>kept</div>
</section>
<section><h2>Patterns</h2>
<table><tr><th>template</th><th>signature</th><th class="n">records</th><th class="n">kept</th><th class="n">errors</th><th class="n">rate</th></tr>
{{range .Patterns}}<tr><td><code>{{.Template}}</code></td><td><code>{{.Signature}}</code></td><td class="n">{{count .WindowCount}}</td><td class="n">{{count .WindowSampled}}</td><td class="n">{{count .WindowErrors}}</td><td class="n">{{rate .Rate}}</td></tr>
{{end}}</table></section>
<section><h2>Anomalies</h2>
{{if not .Anomalies}}<p>None detected.</p>{{else}}
<table><tr><th>detected</th><th>kind</th><th>template</th><th class="n">per minute</th><th class="n">baseline</th></tr>
{{range .Anomalies}}<tr><td>{{when .DetectedAt}}</td><td>{{.Kind}}</td><td><code>{{.Template}}</code></td><td class="n">{{rate .Value}}</td><td class="n">{{rate .Baseline}}</td></tr>
{{end}}</table>{{end}}</section>
<section><h2>Policy history</h2>
{{if not .History}}<p>No policy generated yet.</p>{{else}}
<table><tr><th class="n">version</th><th>created</th><th>by</th><th class="n">projected keep</th></tr>
{{range .History}}<tr><td class="n">{{.Version}}</td><td>{{when .CreatedAt}}</td><td>{{.GeneratedBy}}</td><td class="n">{{pct .ProjectedKeep}}</td></tr>
{{end}}</table>
<p><b>Reasoning:</b> {{.Reasoning}}</p>{{end}}
</section>
{{end}}
{{end}}
</main></body></html>
`))

type dashService struct {
	Name        string
	Total, Kept int64
	Savings     float64
	StatsAt     time.Time
	Selected    bool
}

type dashPattern struct {
	store.Pattern
	Rate float64
}

// dashChart is the volume chart of a service (see chart).
type dashChart struct {
	SVG template.HTML // the <svg> element, escaped by internal/svgchart
}

type dashDetail struct {
	Name        string
	Total, Kept int64
	Savings     float64
	Version     int64
	Reasoning   string
	Patterns    []dashPattern
	Anomalies   []store.Anomaly
	History     []store.PolicyRecord
	Chart       dashChart
}

type dashData struct {
	Team       int64
	LoginError string
	Window     string
	Services   []dashService
	Detail     *dashDetail
}

// dashHeaders sets the headers of every dashboard answer: a strict CSP
// that also forbids framing (frame-ancestors, and X-Frame-Options for
// older browsers) against clickjacking, and no caching.
func dashHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

// dashboard renders the page for the team of the Bearer key or of the
// login session cookie, or the login form.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	dashHeaders(w)
	data := dashData{Window: shortDuration(s.cfg.window)}
	key := bearer(r)
	var err error
	switch c, cerr := r.Cookie(cookieName); {
	case key != "":
		data.Team, err = s.st.TeamForKey(r.Context(), key)
		if errors.Is(err, store.ErrUnauthorized) {
			data.LoginError, err = "That key is not valid.", nil
		}
	case cerr == nil && c.Value != "":
		key = c.Value
		data.Team, err = s.st.SessionTeam(r.Context(), c.Value)
		if errors.Is(err, store.ErrUnauthorized) {
			data.LoginError, err = "Your session has ended; log in again.", nil
			s.clearCookies(w, r)
		}
	}
	if err != nil {
		s.internalError(w, err)
		return
	}
	if data.Team != 0 {
		if err := s.fillDashboard(r, &data); err != nil {
			s.internalError(w, err)
			return
		}
	}
	var b strings.Builder
	if err := dashboardTmpl.Execute(&b, data); err != nil {
		s.internalError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	status := http.StatusOK
	if data.Team == 0 && key != "" {
		status = http.StatusUnauthorized
	}
	w.WriteHeader(status)
	w.Write([]byte(b.String()))
}

func (s *Server) fillDashboard(r *http.Request, d *dashData) error {
	ctx := r.Context()
	now := s.cfg.now()
	since := now.Add(-s.cfg.window)
	svcs, err := s.st.ServiceSummaries(ctx, d.Team, since)
	if err != nil {
		return err
	}
	want := r.URL.Query().Get("service")
	if want == "" && len(svcs) > 0 {
		want = svcs[0].Name
	}
	for _, v := range svcs {
		ds := dashService{Name: v.Name, StatsAt: v.StatsAt, Selected: v.Name == want, Total: v.Total, Kept: v.Kept}
		if ds.Total > 0 {
			ds.Savings = 1 - float64(ds.Kept)/float64(ds.Total)
		}
		d.Services = append(d.Services, ds)
		if ds.Selected {
			vol, err := s.st.Volume(ctx, v.ID, since)
			if err != nil {
				return err
			}
			det, err := s.detail(ctx, r, v.Service, ds, vol)
			if err != nil {
				return err
			}
			d.Detail = det
		}
	}
	return nil
}

func (s *Server) detail(ctx context.Context, r *http.Request, v store.Service, ds dashService, vol []store.VolumePoint) (*dashDetail, error) {
	d := &dashDetail{Name: v.Name, Total: ds.Total, Kept: ds.Kept, Savings: ds.Savings}
	ps, rates, err := s.patternsWithRates(r, v, 200)
	if err != nil {
		return nil, err
	}
	for i, p := range ps {
		d.Patterns = append(d.Patterns, dashPattern{Pattern: p, Rate: rates[i]})
	}
	if d.Anomalies, err = s.st.Anomalies(ctx, v.ID, 50); err != nil {
		return nil, err
	}
	if d.History, err = s.st.PolicyHistory(ctx, v.ID, 20); err != nil {
		return nil, err
	}
	if len(d.History) > 0 {
		d.Version = d.History[0].Version
		if p, err := parseReasoning(d.History[0].Body); err == nil {
			d.Reasoning = p
		}
	}
	d.Chart = chart(vol, 800, 180)
	return d, nil
}

// chart lays out the per-minute volume as two lines over a zero line,
// with the largest count above and the first and last minute as labels
// below (internal/svgchart draws it). x is the bucket's time, so a minute
// without data leaves a gap: the line breaks there instead of drawing a
// straight line across it. Every minute is drawn as a step one minute
// wide, so that a service whose data all falls in one minute still shows a
// line.
func chart(vol []store.VolumePoint, w, h int) dashChart {
	var maxTotal int64
	for _, p := range vol {
		maxTotal = max(maxTotal, p.Total)
	}
	gray := [][2]string{{"font-size", "11"}, {"fill", "#56606e"}}
	c := svgchart.Chart{
		Width: float64(w), Height: float64(h), Left: 10, Right: 10, Top: 22, Bottom: 22,
		Label: "volume chart", Attrs: [][2]string{{"width", "100%"}, {"height", strconv.Itoa(h)}},
		Background: "chart-bg",
		Labels:     []svgchart.Label{{X: 4, Y: 14, Attrs: gray, Text: "max " + strconv.FormatInt(maxTotal, 10) + "/min"}},
	}
	if len(vol) > 0 && maxTotal > 0 {
		first, last := vol[0].Bucket, vol[len(vol)-1].Bucket
		minutes := float64(last.Sub(first)/time.Minute) + 1
		c.XMax, c.YMax = minutes, float64(maxTotal)
		line := func(class, color string) svgchart.Series {
			return svgchart.Series{Class: class, Attrs: [][2]string{{"fill", "none"}, {"stroke", color}, {"stroke-width", "2"}}}
		}
		zero := line("axis", "#dde1e6")
		zero.Attrs[2][1] = "1"
		zero.Step, zero.Points = minutes, []svgchart.Point{{X: 0, Y: 0}}
		total, kept := line("volume total", "#9aa5b4"), line("volume kept", "#2458c6")
		for _, p := range vol {
			x := float64(p.Bucket.Sub(first) / time.Minute)
			total.Points = append(total.Points, svgchart.Point{X: x, Y: float64(p.Total)})
			kept.Points = append(kept.Points, svgchart.Point{X: x, Y: float64(p.Kept)})
		}
		c.Series = []svgchart.Series{zero, total, kept}
		c.Labels = append(c.Labels,
			svgchart.Label{X: 10, Y: float64(h - 4), Attrs: gray, Text: first.UTC().Format("15:04")},
			svgchart.Label{X: float64(w - 10), Y: float64(h - 4), Anchor: "end", Attrs: gray, Text: last.UTC().Format("15:04") + " UTC"})
	}
	return dashChart{SVG: template.HTML(c.SVG())}
}

// shortDuration formats d without zero trailing units: "1h", "5m", "1h30m".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// dashboardLogin exchanges an API key for a session: the cookie holds a
// random token valid for sessionTTL (the store keeps only its hash), never
// the key. The cookie is HttpOnly, SameSite=Strict, limited to /dashboard,
// and Secure when the request came over TLS (directly, or through a proxy
// that says so with X-Forwarded-Proto: https).
func (s *Server) dashboardLogin(w http.ResponseWriter, r *http.Request) {
	dashHeaders(w)
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	key := strings.TrimSpace(r.PostFormValue("key"))
	token, _, err := s.st.CreateSession(r.Context(), key, sessionTTL)
	if err != nil {
		if !errors.Is(err, store.ErrUnauthorized) {
			s.internalError(w, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		dashboardTmpl.Execute(w, dashData{LoginError: "That key is not valid."})
		return
	}
	http.SetCookie(w, expiredCookie(r, legacyCookieName))
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/dashboard", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: overTLS(r), MaxAge: int(sessionTTL.Seconds())})
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

// dashboardLogout ends the session of the cookie and deletes the cookie.
func (s *Server) dashboardLogout(w http.ResponseWriter, r *http.Request) {
	dashHeaders(w)
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
		if err := s.st.EndSession(r.Context(), c.Value); err != nil {
			s.internalError(w, err)
			return
		}
	}
	s.clearCookies(w, r)
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

// clearCookies deletes the session cookie and the legacy key cookie.
func (s *Server) clearCookies(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, expiredCookie(r, cookieName))
	http.SetCookie(w, expiredCookie(r, legacyCookieName))
}

// expiredCookie returns the Set-Cookie that deletes the dashboard cookie
// name from the browser.
func expiredCookie(r *http.Request, name string) *http.Cookie {
	return &http.Cookie{Name: name, Value: "", Path: "/dashboard", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: overTLS(r)}
}

// overTLS reports whether the client reached the server over TLS.
func overTLS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
