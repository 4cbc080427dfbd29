package org.edgegate.mqtt.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import javax.net.ssl.SSLException;

import org.edgegate.kernel.Backoff;
import org.edgegate.kernel.Connector;
import org.edgegate.kernel.ConnectorLog;

/**
 * The broker connection's life on the connector kernel: open connects (and subscribes to commands), work
 * waits until the link is lost, close hands the link back to the bridge and closes the client; the kernel
 * retries with back-off and keeps the health. Data never waits for this thread: the {@link Bridge}'s sender
 * journals while there is no link.
 *
 * <p>A broker of several nodes ({@code uri} a list): an attempt tries the nodes in turn, starting after the node
 * whose link was lost or whose connect failed, until one lets it in; the kernel's back-off comes between rounds
 * that found no node. A node that went down is thus left at once and a healthy one is kept; the first attempt
 * of a gateway starts at the first node, so an operator spreads gateways over a cluster by the order of their
 * lists.
 */
final class BrokerConnection extends Connector {
    private static final long CONNECT_TIMEOUT_SECONDS = 20;

    private final MqttSettings settings;
    private final Topics topics;
    private final BrokerClient.Factory factory;
    private final BiConsumer<String, byte[]> incoming;
    private final Bridge bridge;
    private volatile Link link;
    /** Index of the node the next attempt connects to (connector thread only). */
    private int next;
    /** The node of the open link, or empty. */
    private volatile String node = "";

    BrokerConnection(MqttSettings settings, BrokerClient.Factory factory, BiConsumer<String, byte[]> incoming,
            Bridge bridge, ConnectorLog log) {
        super("edgegate-mqtt-" + settings.id(), "mqtt " + settings.id() + " (" + settings.displayUri() + ")",
                new Backoff(500, settings.reconnectMaxSeconds() * 1000L), log);
        this.settings = settings;
        this.topics = new Topics(settings.prefix());
        this.factory = factory;
        this.incoming = incoming;
        this.bridge = bridge;
    }

    @Override
    protected void open() throws Exception {
        List<String> nodes = settings.uris();
        List<String> failures = new ArrayList<>();
        Exception last = null;
        for (int tried = 0; tried < nodes.size() && running(); tried++) {
            String target = nodes.get(next);
            try {
                connect(target);
                return;
            } catch (Exception e) {
                // that node failed: straight on to the next (a cluster re-electing after a node's loss may refuse
                // one node's connect while another already takes it); the back-off once the round found none
                next = (next + 1) % nodes.size();
                last = e;
                failures.add(target + ": " + message(e));
            }
        }
        if (nodes.size() == 1 && last != null) {
            throw last;
        }
        throw new IOException(failures.isEmpty() ? "stopping" : String.join("; ", failures), last);
    }

    private void connect(String target) throws Exception {
        Link l = new Link(factory, settings, target, incoming, this::kick);
        CompletableFuture<Throwable> connected = new CompletableFuture<>();
        try {
            l.client.connect(new BrokerClient.Connect(settings, topics.status(),
                    "offline".getBytes(StandardCharsets.UTF_8)), f -> connected.complete(f == null ? NONE : f));
            Throwable failure = connected.get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (failure != NONE) {
                throw new IOException(describe(failure, settings.tls()), failure);
            }
        } catch (TimeoutException e) {
            l.retire();
            l.client.close();
            throw new IOException("timed out waiting for the broker to answer");
        } catch (IOException | RuntimeException e) {
            l.retire();
            l.client.close();
            throw e;
        } catch (Exception e) {
            l.retire();
            l.client.close();
            throw new IOException(describe(e, settings.tls()), e);
        }
        List<String> filters = new ArrayList<>(topics.commandFilters());
        if (settings.remoteConfig()) {
            filters.addAll(topics.configFilters());
        }
        if (settings.homeAssistant()) {
            filters.add(settings.homeAssistantPrefix() + "/status");
        }
        l.client.subscribe(filters, f -> {
            if (f != null) {
                log.warn("mqtt {}: subscribing to commands failed: {}", settings.id(), describe(f, false));
            }
        });
        link = l;
        node = target;
        l.attached = true;
        long pending = bridge.pending();
        log.info(pending > 0 ? "mqtt {}: connected to {} as {}, {} journaled messages to replay"
                : "mqtt {}: connected to {} as {}", settings.id(), target, settings.clientId(), pending);
        bridge.attach(l);
    }

    @Override
    protected void work() throws Exception {
        long sent = bridge.sent();
        while (running()) {
            Throwable lost = link.lost();
            if (lost != null) {
                // the node went (or the way to it): the next attempt tries the next node of the cluster
                next = (next + 1) % settings.uris().size();
                throw new IOException(settings.uris().size() == 1 ? describe(lost, false)
                        : node + ": " + describe(lost, false), lost);
            }
            pause(1000);
            if (bridge.sent() != sent) {
                sent = bridge.sent();
                progress(); // the link carried data: the next loss retries from the shortest delay
            }
        }
    }

    @Override
    protected void close() {
        Link l = link;
        link = null;
        node = "";
        if (l != null) {
            l.retire();
            bridge.detach(l);
            l.client.close();
        }
    }

    @Override
    protected void abort() {
        Link l = link;
        if (l != null) {
            l.client.close();
        }
    }

    /** The node of the open link (one of the URIs), or empty while not connected. */
    String node() {
        return node;
    }

    private static final Throwable NONE = new Throwable("connected");

    /** A sentence an operator understands, from what the client library threw. */
    static String describe(Throwable t, boolean handshake) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                return "unknown host " + c.getMessage();
            }
            if (c instanceof ConnectException) {
                return "connection refused (is the broker running and listening on that port?)";
            }
            if (c instanceof SSLException) {
                return "TLS handshake failed: " + c.getMessage() + " (is it a TLS port? is ca.file the broker's CA?)";
            }
        }
        String why = Connector.message(t);
        Throwable cause = t.getCause();
        if (cause != null && cause.getMessage() != null && !why.contains(cause.getMessage())) {
            why += ": " + cause.getMessage();
        }
        if (handshake && !why.contains("not authorized")) {
            why = "TLS handshake failed: " + why + " (is it a TLS port? is ca.file the broker's CA?)";
        }
        return why;
    }
}
