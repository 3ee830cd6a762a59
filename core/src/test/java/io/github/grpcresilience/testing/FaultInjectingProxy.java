package io.github.grpcresilience.testing;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-JVM TCP proxy on 127.0.0.1 that forwards to a target and can inject faults into every
 * current and future connection:
 * <ul>
 * <li>{@link #pass()}: forward bytes both ways;</li>
 * <li>{@link #freeze()}: keep connections open but forward nothing, as a peer whose kernel still
 * answers while its process hangs (bytes that arrive are read and discarded, so TCP stays alive:
 * a connection frozen once is not usable again);</li>
 * <li>{@link #reset()}: close every connection abruptly with RST on both sides; new connections
 * keep being accepted; {@link #resetOne()} closes just one;</li>
 * <li>{@link #refuseNewConnections(boolean)}: new connections are closed with RST as soon as they
 * are accepted, as by a peer that is gone, while open ones are untouched;</li>
 * <li>{@link #cut()} then {@link #finCut()}: what a crashed server's kernel does. Open connections
 * stop passing the client's bytes on (the server receives nothing more, its replies still
 * arrive), then the client gets FIN, never RST: everything it sends afterwards is read and
 * dropped until it closes its side. New connections pass as usual.</li>
 * <li>{@link #injectPings(int)}: HTTP/2 PING frames the client never sent reach the server, as
 * from a client that pings too often (plaintext h2c only): the server's answer is GOAWAY
 * {@code too_many_pings} once the pings exceed its permit.</li>
 * </ul>
 *
 * <p>Threads: one acceptor and two pumps per connection, all daemon threads named
 * {@code fault-proxy-*} from one cached pool. The mode is volatile and read by the pumps before
 * each write; open connections are a concurrent set. A connection's client bytes are forwarded
 * under its lock, which {@link #injectPings(int)} takes too, so an injected frame never lands
 * inside one of the client's.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    private static final int BUFFER_SIZE = 16 * 1024;
    private static final long CLOSE_TIMEOUT_SECONDS = 5;
    private static final byte PING_FRAME_TYPE = 0x6;
    private static final byte[] PING_PAYLOAD = "injected".getBytes(StandardCharsets.US_ASCII);

    private enum Mode { PASS, FREEZE }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final ExecutorService threads;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;
    private volatile boolean refusing;

    private FaultInjectingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger ids = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy-" + ids.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::acceptLoop);
    }

    /** Starts a proxy on an ephemeral loopback port forwarding to {@code host:port}. */
    public static FaultInjectingProxy start(String host, int port) throws IOException {
        return new FaultInjectingProxy(new InetSocketAddress(host, port));
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    public void pass() {
        mode = Mode.PASS;
    }

    public void freeze() {
        mode = Mode.FREEZE;
    }

    /** Closes every open connection with RST on both sides. */
    public void reset() {
        for (Connection connection : connections) {
            connection.abort();
        }
    }

    /** Closes one open connection, whichever, with RST on both sides; false if none was open. */
    public boolean resetOne() {
        for (Connection connection : connections) {
            connection.abort();
            return true;
        }
        return false;
    }

    /** Open connections stop passing the client's bytes to the server; replies still pass. */
    public void cut() {
        for (Connection connection : connections) {
            connection.cut = true;
        }
    }

    /** Closes every cut connection with FIN to the client (and RST to the server); returns how many. */
    public int finCut() {
        int finned = 0;
        for (Connection connection : connections) {
            if (connection.cut) {
                connection.fin();
                finned++;
            }
        }
        return finned;
    }

    /**
     * Sends {@code count} HTTP/2 PINGs (RFC 9113 §6.7) to the server on every open connection, in
     * one write between two of the client's frames: at once if the connection is between frames,
     * else just after the client's frame in flight. Pings are held while the connection passes
     * none of the client's bytes (frozen or cut), and sent after the client's next frame once it
     * passes again. The server answers each with a PING ACK the client never asked for;
     * grpc-java's client logs a WARNING ("Received unexpected ping ack") and carries on. Plaintext
     * (h2c) connections only.
     *
     * @return how many connections got the pings
     */
    public int injectPings(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
        int hit = 0;
        for (Connection connection : connections) {
            connection.injectPings(count);
            hit++;
        }
        return hit;
    }

    public void refuseNewConnections(boolean refuse) {
        refusing = refuse;
    }

    /** Connections currently open through the proxy. */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        reset();
        threads.shutdownNow();
        try {
            threads.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException ex) {
                return;
            }
            if (refusing) {
                try {
                    client.setSoLinger(true, 0);
                } catch (SocketException ignored) {
                    // closed already
                }
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(target, 5_000);
                Connection connection = new Connection(client, server);
                connections.add(connection);
                threads.execute(() -> connection.pump(client, server));
                threads.execute(() -> connection.pump(server, client));
            } catch (IOException ex) {
                closeQuietly(client);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** {@code count} PING frames: length 8, type 0x6, no flags, stream 0, then the payload. */
    private static byte[] pingFrames(int count) {
        ByteBuffer frames = ByteBuffer.allocate(count * (Http2FrameBoundaries.FRAME_HEADER_LENGTH + PING_PAYLOAD.length));
        for (int i = 0; i < count; i++) {
            frames.put((byte) 0).put((byte) 0).put((byte) PING_PAYLOAD.length).put(PING_FRAME_TYPE).put((byte) 0)
                    .putInt(0).put(PING_PAYLOAD);
        }
        return frames.array();
    }

    /** One proxied connection: the client's socket and ours to the target. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        private final AtomicInteger finishedPumps = new AtomicInteger();
        private final Object upstreamLock = new Object();
        @GuardedBy("upstreamLock")
        private final Http2FrameBoundaries clientFrames = new Http2FrameBoundaries();
        @GuardedBy("upstreamLock")
        private int pendingPings;
        private volatile boolean cut;
        private volatile boolean finned;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[BUFFER_SIZE];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (from == client) {
                        forwardClientBytes(out, buffer, read);
                    } else if (mode == Mode.PASS) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
                if (!finned) {
                    to.shutdownOutput();
                }
            } catch (IOException ex) {
                if (!finned) {
                    abort();
                }
            } finally {
                if (finishedPumps.incrementAndGet() == 2) {
                    connections.remove(this);
                    closeQuietly(client);
                    closeQuietly(server);
                }
            }
        }

        private boolean passingClientBytes() {
            return mode == Mode.PASS && !cut;
        }

        /** Forwards (or drops) the client's bytes, inserting pending pings at the first frame boundary. */
        private void forwardClientBytes(OutputStream out, byte[] buffer, int length) throws IOException {
            synchronized (upstreamLock) {
                boolean passing = passingClientBytes();
                int offset = 0;
                while (offset < length) {
                    int consumed = clientFrames.advance(buffer, offset, length - offset, pendingPings > 0);
                    if (passing) {
                        out.write(buffer, offset, consumed);
                        writePendingPingsAtBoundary(out);
                    }
                    offset += consumed;
                }
                if (passing) {
                    out.flush();
                }
            }
        }

        void injectPings(int count) {
            synchronized (upstreamLock) {
                pendingPings += count;
                if (!passingClientBytes()) {
                    return;
                }
                try {
                    writePendingPingsAtBoundary(server.getOutputStream());
                } catch (IOException ex) {
                    abort();
                }
            }
        }

        @GuardedBy("upstreamLock")
        private void writePendingPingsAtBoundary(OutputStream out) throws IOException {
            if (pendingPings > 0 && clientFrames.atInsertionPoint()) {
                out.write(pingFrames(pendingPings));
                out.flush();
                pendingPings = 0;
            }
        }

        /**
         * FIN to the client; the server side is dropped. The client's socket is closed only when
         * the client has closed its side (its pump reads to the end): closing it with unread bytes
         * would send RST.
         */
        void fin() {
            finned = true;
            try {
                client.shutdownOutput();
            } catch (IOException ignored) {
                // the client is gone already
            }
            try {
                server.setSoLinger(true, 0);
            } catch (SocketException ignored) {
                // closed already
            }
            closeQuietly(server);
        }

        void abort() {
            connections.remove(this);
            for (Socket socket : new Socket[] {client, server}) {
                try {
                    socket.setSoLinger(true, 0);
                } catch (SocketException ignored) {
                    // closed already
                }
                closeQuietly(socket);
            }
        }
    }
}
