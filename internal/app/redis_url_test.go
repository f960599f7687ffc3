package app_test

import (
	"slices"
	"testing"

	"github.com/hibiken/asynq"

	"newsdigest/internal/app"
)

// TestRedisOptForAsynq: REDIS_URL's three kinds reach asynq as its own
// options for one server, Sentinel (failover) and Cluster.
func TestRedisOptForAsynq(t *testing.T) {
	t.Parallel()
	opt, err := app.RedisOpt("redis://:pw@10.0.0.5:6380/3")
	if o, ok := opt.(asynq.RedisClientOpt); err != nil || !ok || o.Addr != "10.0.0.5:6380" || o.DB != 3 || o.Password != "pw" {
		t.Errorf("redis://: %#v %v", opt, err)
	}
	opt, err = app.RedisOpt("redis-sentinel://:s3cret@s1.example:26379,s2.example:26379/mymaster?db=2")
	if f, ok := opt.(asynq.RedisFailoverClientOpt); err != nil || !ok || f.MasterName != "mymaster" || f.DB != 2 ||
		f.Password != "s3cret" || !slices.Equal(f.SentinelAddrs, []string{"s1.example:26379", "s2.example:26379"}) {
		t.Errorf("redis-sentinel://: %#v %v", opt, err)
	}
	opt, err = app.RedisOpt("redis-cluster://n1.example:7000,n2.example:7001")
	if k, ok := opt.(asynq.RedisClusterClientOpt); err != nil || !ok || !slices.Equal(k.Addrs, []string{"n1.example:7000", "n2.example:7001"}) {
		t.Errorf("redis-cluster://: %#v %v", opt, err)
	}
	if _, err := app.RedisOpt("redis-sentinel://s1.example:26379"); err == nil {
		t.Error("a Sentinel URL without the master's name was taken")
	}
}
