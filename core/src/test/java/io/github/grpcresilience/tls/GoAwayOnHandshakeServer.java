package io.github.grpcresilience.tls;

import io.github.grpcresilience.testing.TestCertificates;
import io.grpc.netty.GrpcSslContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A TLS 1.2 HTTP/2 "server" that answers every connection, the moment its handshake completes,
 * with its SETTINGS and a GOAWAY NO_ERROR in the same socket write as its TLS Finished message. A
 * draining server that still accepts connections can do this (grpc-go drains a connection it
 * accepts during GracefulStop at once). So the client reads the end of the handshake, the SETTINGS and the
 * GOAWAY at once: grpc-java's HTTP/2 handler is added in the middle of that read. Raw bytes over
 * Netty's SslHandler, no HTTP/2 codec: it reads and ignores everything the client sends.
 */
final class GoAwayOnHandshakeServer implements AutoCloseable {

    private static final String DEBUG_DATA = "draining";
    private static final byte TYPE_SETTINGS = 0x4;
    private static final byte TYPE_GOAWAY = 0x7;

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;

    GoAwayOnHandshakeServer() throws Exception {
        TestCertificates certificates = TlsCase.CERTIFICATES;
        SslContext tls12 = GrpcSslContexts.forServer(certificates.serverCertificateChain().toFile(),
                certificates.serverPrivateKey().toFile()).protocols("TLSv1.2").build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new DeferredFlush(), tls12.newHandler(channel.alloc()),
                                new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
                                    ctx.writeAndFlush(settingsAndGoAway());
                                }
                                ctx.fireUserEventTriggered(event);
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /**
     * Flushes the socket in a later event-loop task, so that the Finished message the SslHandler
     * writes and the frames written when the handshake completes (the same task) leave together.
     */
    private static final class DeferredFlush extends ChannelOutboundHandlerAdapter {
        @Override
        public void flush(ChannelHandlerContext ctx) {
            ctx.executor().execute(ctx::flush);
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static ByteBuf settingsAndGoAway() {
        byte[] debug = DEBUG_DATA.getBytes(StandardCharsets.US_ASCII);
        ByteBuf frames = Unpooled.buffer();
        frames.writeMedium(0).writeByte(TYPE_SETTINGS).writeByte(0).writeInt(0);
        frames.writeMedium(8 + debug.length).writeByte(TYPE_GOAWAY).writeByte(0).writeInt(0);
        frames.writeInt(0).writeInt(0).writeBytes(debug); // last stream 0, NO_ERROR
        return frames;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
