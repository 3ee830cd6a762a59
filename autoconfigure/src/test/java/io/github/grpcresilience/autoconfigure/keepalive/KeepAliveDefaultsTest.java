package io.github.grpcresilience.autoconfigure.keepalive;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.keepalive.Http2KeepAlive;
import io.github.grpcresilience.keepalive.KeepAliveLimits;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pins the defaults whose values are the point of the starter. */
class KeepAliveDefaultsTest {

    @Test
    void clientHttp2KeepAliveIsPermittedByEveryServerDefault() {
        // grpc-java, Go and C-core servers permit one ping per 5 minutes unless configured otherwise;
        // a faster client gets GOAWAY too_many_pings from any server that does not use this starter.
        Duration defaultTime = new ChannelProperties().getKeepalive().getTime();
        assertThat(defaultTime).as("client keepalive.time default").isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(Http2KeepAlive.DEFAULT.time()).isGreaterThanOrEqualTo(KeepAliveLimits.DEFAULT_SERVER_PERMIT_TIME);
        assertThat(new ChannelProperties().getKeepalive().isWithoutCalls())
                .as("servers forbid pings without calls by default").isFalse();
    }

    @Test
    void tcpKeepAliveFindsABlackHoleInAboutHalfAMinute() {
        ChannelProperties.TcpKeepalive tcp = new ChannelProperties().getTcpKeepalive();
        TcpKeepAlive policy = new TcpKeepAlive(tcp.isEnabled(), tcp.getIdle(), tcp.getInterval(), tcp.getCount(),
                tcp.getUserTimeout());
        assertThat(policy).isEqualTo(TcpKeepAlive.DEFAULT);
        assertThat(policy.probeWindow()).isEqualTo(Duration.ofSeconds(35));
        assertThat(policy.effectiveUserTimeout()).isEqualTo(Duration.ofSeconds(20));
    }
}
