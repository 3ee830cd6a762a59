package io.github.grpcresilience.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The transport hook's close handler on an embedded channel: a close that did not pass through the
 * pipeline (what the peer's FIN does) reaches the HTTP/2 handler as UNAVAILABLE before
 * {@code channelInactive}, and a write that still reaches the closed channel fails with that
 * status as its cause.
 */
class CloseAtOnceTest {

    /** Records what reaches it on the way to the HTTP/2 handler, and passes it on. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("error " + Status.fromThrowable(cause));
            ctx.fireExceptionCaught(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add("inactive");
            ctx.fireChannelInactive();
        }
    }

    private static Http2ConnectionHandler http2() {
        return new Http2ConnectionHandlerBuilder().server(false).frameListener(new Http2FrameAdapter()).build();
    }

    @Test
    void aCloseThePeerCausedReachesGrpcAsUnavailableBeforeTheChannelTurnsInactive() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new NettyTransport.CloseAtOnce(), recorder, http2());

        channel.unsafe().close(channel.unsafe().voidPromise());

        channel.runPendingTasks();
        assertThat(recorder.events).hasSize(2);
        assertThat(recorder.events.get(0))
                .startsWith("error Status{code=UNAVAILABLE, description=connection closed by the remote end");
        assertThat(recorder.events.get(1)).isEqualTo("inactive");
    }

    /** Writes as grpc-java does for a call that picked the connection just as it closed. */
    private static final class LateWriter extends ChannelInboundHandlerAdapter {
        final ByteBuf headers = Unpooled.buffer().writeByte(1);
        volatile ChannelFuture write;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.channel().closeFuture().addListener(closed -> write = ctx.writeAndFlush(headers));
            ctx.fireChannelActive();
        }
    }

    @Test
    void aWriteOnTheClosedChannelFailsUnavailableNotWithABareClosedChannelException() {
        LateWriter writer = new LateWriter();
        EmbeddedChannel channel = new EmbeddedChannel(new NettyTransport.CloseAtOnce(), writer, http2());

        channel.unsafe().close(channel.unsafe().voidPromise());

        assertThat(writer.write.cause()).isInstanceOf(ClosedChannelException.class);
        assertThat(Status.fromThrowable(writer.write.cause()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(writer.headers.refCnt()).as("the message is released").isZero();
    }

    @Test
    void beforeTheHttp2HandlerIsInPlaceGrpcsOwnReasonsStay() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new NettyTransport.CloseAtOnce(), recorder);

        channel.unsafe().close(channel.unsafe().voidPromise());
        channel.runPendingTasks();

        assertThat(recorder.events).containsExactly("inactive");
    }
}
