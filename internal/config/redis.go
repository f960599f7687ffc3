package config

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is where REDIS_URL says Redis is: one server (redis://,
// rediss://), a master found through Sentinel (redis-sentinel://), or a
// Cluster (redis-cluster://). asynq (through package app) and the
// counters (rate limits, replay guards) both connect through it.
type Redis struct {
	// Kind is RedisSingle, RedisSentinel or RedisCluster.
	Kind string
	// Single is the one server's options (Kind RedisSingle).
	Single *redis.Options
	// Addrs are the sentinels (Kind RedisSentinel) or the cluster's seed
	// nodes (Kind RedisCluster), host:port.
	Addrs []string
	// MasterName is the master the sentinels watch.
	MasterName string
	// Username and Password authenticate to the data nodes;
	// SentinelPassword to the sentinels (default: Password).
	Username, Password, SentinelPassword string
	// DB is the database number (not in a Cluster).
	DB int
	// TLS, when set, is used for every connection (rediss-sentinel://,
	// rediss-cluster://).
	TLS *tls.Config
}

// The kinds of Redis deployment (Redis.Kind).
const (
	RedisSingle   = "single"
	RedisSentinel = "sentinel"
	RedisCluster  = "cluster"
)

// redisTimeout bounds dialling, reading and writing: a Redis that does
// not answer must fail a call, not hang it.
const redisTimeout = 2 * time.Second

// ParseRedis reads a REDIS_URL:
//
//	redis://[user:pass@]host:port[/db]        one server (rediss:// for TLS)
//	redis-sentinel://[:pass@]host:port,host:port/master[?db=N&sentinel_password=…]
//	redis-cluster://[user:pass@]host:port,host:port
//
// (rediss-sentinel:// and rediss-cluster:// for TLS). The master's name
// may also be given as ?master=name. The error says what is wrong.
func ParseRedis(raw string) (*Redis, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a URL")
	}
	r := &Redis{}
	switch u.Scheme {
	case "redis", "rediss":
		opt, err := redis.ParseURL(raw)
		if err != nil {
			return nil, err
		}
		// go-redis takes any port and database number: one out of range
		// would only fail every dial, for as long as the program runs.
		if _, port, err := net.SplitHostPort(opt.Addr); err != nil {
			return nil, fmt.Errorf("%q is not host:port", opt.Addr)
		} else if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
			return nil, fmt.Errorf("port %q is not from 1 to 65535", port)
		}
		if opt.DB < 0 {
			return nil, fmt.Errorf("database %d: want a number of at least 0", opt.DB)
		}
		r.Kind, r.Single = RedisSingle, opt
		return r, nil
	case "redis-sentinel", "rediss-sentinel":
		r.Kind = RedisSentinel
	case "redis-cluster", "rediss-cluster":
		r.Kind = RedisCluster
	default:
		return nil, fmt.Errorf("scheme must be redis, rediss, redis-sentinel or redis-cluster, got %q", u.Scheme)
	}
	if strings.HasPrefix(u.Scheme, "rediss") {
		r.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	for _, a := range strings.Split(u.Host, ",") {
		host, port, err := net.SplitHostPort(strings.TrimSpace(a))
		if err != nil || host == "" {
			return nil, fmt.Errorf("%q is not host:port", a)
		}
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
			return nil, fmt.Errorf("%q: bad port", a)
		}
		r.Addrs = append(r.Addrs, net.JoinHostPort(host, port))
	}
	if u.User != nil {
		r.Username = u.User.Username()
		r.Password, _ = u.User.Password()
	}
	q := u.Query()
	r.SentinelPassword = q.Get("sentinel_password")
	if r.SentinelPassword == "" {
		r.SentinelPassword = r.Password
	}
	path := strings.Trim(u.Path, "/")
	if r.Kind == RedisCluster {
		if path != "" || q.Get("db") != "" {
			return nil, fmt.Errorf("a Redis Cluster has only database 0: no /path or db= in a redis-cluster URL")
		}
		return r, nil
	}
	r.MasterName = path
	if m := q.Get("master"); m != "" {
		if r.MasterName != "" && r.MasterName != m {
			return nil, fmt.Errorf("the master is named twice (/%s and master=%s)", r.MasterName, m)
		}
		r.MasterName = m
	}
	if r.MasterName == "" || strings.Contains(r.MasterName, "/") {
		return nil, fmt.Errorf("name the master the sentinels watch: redis-sentinel://host:port,host:port/mymaster")
	}
	if d := q.Get("db"); d != "" {
		if r.DB, err = strconv.Atoi(d); err != nil || r.DB < 0 {
			return nil, fmt.Errorf("db=%q: want a database number", d)
		}
	}
	return r, nil
}

// Client is a go-redis client for r (counters, replay guards, readiness),
// with short timeouts. The caller closes it.
func (r *Redis) Client() redis.UniversalClient {
	switch r.Kind {
	case RedisSentinel:
		return redis.NewFailoverClient(&redis.FailoverOptions{MasterName: r.MasterName, SentinelAddrs: r.Addrs,
			SentinelPassword: r.SentinelPassword, Username: r.Username, Password: r.Password, DB: r.DB, TLSConfig: r.TLS,
			DialTimeout: redisTimeout, ReadTimeout: redisTimeout, WriteTimeout: redisTimeout, ContextTimeoutEnabled: true})
	case RedisCluster:
		return redis.NewClusterClient(&redis.ClusterOptions{Addrs: r.Addrs, Username: r.Username, Password: r.Password,
			TLSConfig: r.TLS, DialTimeout: redisTimeout, ReadTimeout: redisTimeout, WriteTimeout: redisTimeout,
			ContextTimeoutEnabled: true})
	}
	o := *r.Single
	o.ContextTimeoutEnabled = true
	o.DialTimeout, o.ReadTimeout, o.WriteTimeout = redisTimeout, redisTimeout, redisTimeout
	return redis.NewClient(&o)
}
