package org.edgegate.mqtt.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code bin/edgegate-fleet}: a fleet of gateways seen and configured through their broker only (docs/fleet.md).
 * It reads what the gateways retain ({@code <root>/<gateway>/status}, {@code …/info}, {@code …/config/<pid>}) and
 * talks to their remote configuration ({@code …/config/<pid>/set|delete}, answers on {@code …/result}). What the
 * broker hands it is bounded: messages over {@value #MAX_MESSAGE} bytes and gateways beyond {@value #MAX_GATEWAYS}
 * are ignored, and JSON that does not parse is shown as such.
 */
public final class FleetTool {
    static final int MAX_MESSAGE = 256 * 1024;
    static final int MAX_GATEWAYS = 100_000;
    private static final String USAGE = String.join("\n",
            "usage: edgegate-fleet [--broker URI[,URI...]] [--root edgegate] [--username U] [--password-file F]",
            "                      [--timeout SECONDS] COMMAND",
            "  list                                   every gateway that ever connected: online or not, version, health",
            "  get GATEWAY PID                        a gateway's configuration (secrets masked); PID may be an alias:",
            "                                         sensor/<id> or camera/<id> (the one with that id)",
            "  set GATEWAY|PREFIX* PID key=value...   change it on one gateway or every online one whose name starts",
            "                                         with PREFIX; -key removes a key; waits for every answer",
            "  delete GATEWAY|PREFIX* PID             delete it (a factory configuration: org.edgegate.serial.sensor~th)",
            "  watch                                  print status, info and answers as they come (Ctrl-C ends)",
            "exit status: 0 all done, 1 a gateway refused or did not answer, 2 usage or broker problem");

    private final PrintStream out;
    private String broker = "tcp://127.0.0.1:1883";
    private String root = "edgegate";
    private String username = "";
    private String passwordFile = "";
    private long timeoutSeconds = 10;
    FleetTool(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new FleetTool(System.out).run(args));
    }

    int run(String[] args) {
        List<String> rest = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--broker" -> broker = args[++i];
                    case "--root" -> root = args[++i];
                    case "--username" -> username = args[++i];
                    case "--password-file" -> passwordFile = args[++i];
                    case "--timeout" -> timeoutSeconds = Long.parseLong(args[++i]);
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> rest.add(args[i]);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            out.println(USAGE);
            return 2;
        }
        if (rest.isEmpty()) {
            out.println(USAGE);
            return 2;
        }
        String command = rest.get(0);
        List<String> a = rest.subList(1, rest.size());
        try {
            return switch (command) {
                case "list" -> a.isEmpty() ? list() : usage();
                case "get" -> a.size() == 2 ? get(a.get(0), a.get(1)) : usage();
                case "set" -> a.size() >= 3 ? change(a.get(0), a.get(1), a.subList(2, a.size())) : usage();
                case "delete" -> a.size() == 2 ? change(a.get(0), a.get(1), null) : usage();
                case "watch" -> a.isEmpty() ? watch() : usage();
                default -> usage();
            };
        } catch (MqttException e) {
            out.println("edgegate-fleet: broker " + broker + ": " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
            return 2;
        } catch (Exception e) {
            out.println("edgegate-fleet: " + e.getMessage());
            return 2;
        }
    }

    private int usage() {
        out.println(USAGE);
        return 2;
    }

    // ---- commands ----

    private int list() throws Exception {
        try (FleetSession session = connect()) {
            Map<String, Map<String, String>> gateways = snapshot(session, root + "/+/status", root + "/+/info");
            out.printf("%-24s %-8s %-14s %-12s %s%n", "GATEWAY", "STATUS", "VERSION", "UP", "HEALTH");
            for (Map.Entry<String, Map<String, String>> g : gateways.entrySet()) {
                String status = g.getValue().getOrDefault("status", "?");
                JsonObject info = json(g.getValue().get("info"));
                out.printf("%-24s %-8s %-14s %-12s %s%n", g.getKey(), status, text(info, "version"),
                        info == null ? "-" : uptime(info), health(info));
            }
            return 0;
        }
    }

    private int get(String gateway, String pid) throws Exception {
        PidAlias alias = PidAlias.parse(pid);
        try (FleetSession session = connect()) {
            String topic = root + "/" + gateway + "/config/" + pid;
            session.snapshot(root, alias == null ? topic : root + "/" + gateway + "/config/+");
            JsonObject o = alias == null ? json(text(session.retained().get(topic))) : named(session, gateway, alias);
            JsonElement props = o == null ? null : o.get("properties");
            if (props == null || !props.isJsonObject()) {
                out.println("no configuration " + pid + " retained by " + gateway
                        + " (is remote.config on there, and the PID under remote.config.allow?)");
                return 1;
            }
            for (Map.Entry<String, JsonElement> e : new TreeMap<>(props.getAsJsonObject().asMap()).entrySet()) {
                out.println(e.getKey() + " = " + (e.getValue().isJsonPrimitive() ? e.getValue().getAsString()
                        : e.getValue().toString()));
            }
            return 0;
        }
    }

    /** The retained configuration {@code sensor/th} names: of the alias's factory, with that id. */
    private JsonObject named(FleetSession session, String gateway, PidAlias alias) {
        String head = root + "/" + gateway + "/config/";
        for (Map.Entry<String, byte[]> e : session.retained().entrySet()) {
            JsonObject o = e.getKey().startsWith(head) ? json(text(e.getValue())) : null;
            String pid = text(o, "pid");
            JsonElement props = o == null ? null : o.get("properties");
            if (props != null && props.isJsonObject() && pid.contains("~") && alias.names(
                    pid.substring(0, pid.indexOf('~')), text(props.getAsJsonObject(), "id"))) {
                return o;
            }
        }
        return null;
    }

    private static String text(byte[] payload) {
        return payload == null || payload.length == 0 ? null : new String(payload, StandardCharsets.UTF_8);
    }

    /** set (pairs) or delete (pairs null) on one gateway or every online one matching PREFIX*. */
    private int change(String target, String pid, List<String> pairs) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (pairs != null) {
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (pair.startsWith("-") && eq < 0) {
                    properties.put(pair.substring(1), null);
                } else if (eq > 0) {
                    properties.put(pair.substring(0, eq), pair.substring(eq + 1));
                } else {
                    out.println("edgegate-fleet: '" + pair + "' is not key=value or -key");
                    return 2;
                }
            }
        }
        if (PidAlias.parse(pid) == null && !PidAlias.isPid(pid)) {
            out.println("edgegate-fleet: '" + pid + "' is not a PID (org.edgegate.serial.sensor~th) nor sensor/<id>, "
                    + "camera/<id>");
            return 2;
        }
        try (FleetSession session = connect()) {
            Map<String, Map<String, String>> gateways = snapshot(session, root + "/+/status");
            List<String> targets = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> g : gateways.entrySet()) {
                boolean match = target.endsWith("*") ? g.getKey().startsWith(target.substring(0, target.length() - 1))
                        : g.getKey().equals(target);
                if (match && "online".equals(g.getValue().get("status"))) {
                    targets.add(g.getKey());
                } else if (match) {
                    out.println(g.getKey() + ": skipped, " + g.getValue().getOrDefault("status", "no status"));
                }
            }
            if (targets.isEmpty()) {
                out.println("edgegate-fleet: no online gateway matches " + target);
                return 1;
            }
            String run = UUID.randomUUID().toString().substring(0, 8);
            Map<String, JsonObject> answers = new ConcurrentHashMap<>();
            CountDownLatch all = new CountDownLatch(targets.size());
            session.listen((topic, payload) -> {
                JsonObject o = json(new String(payload, StandardCharsets.UTF_8));
                String correlation = o == null ? null : text(o, "correlation");
                if (correlation != null && correlation.startsWith(run + "-") && topic.endsWith("/result")
                        && answers.putIfAbsent(correlation.substring(run.length() + 1), o) == null) {
                    all.countDown();
                }
            });
            session.subscribe(root + "/+/config/" + pid + "/result");
            for (String g : targets) {
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("correlation", run + "-" + g);
                if (pairs != null) {
                    request.put("properties", properties);
                }
                byte[] body = new com.google.gson.GsonBuilder().serializeNulls().create().toJson(request)
                        .getBytes(StandardCharsets.UTF_8);
                session.publish(root + "/" + g + "/config/" + pid + (pairs == null ? "/delete" : "/set"), body);
            }
            all.await(timeoutSeconds, TimeUnit.SECONDS);
            int status = 0;
            for (String g : targets) {
                JsonObject a = answers.get(g);
                if (a == null) {
                    out.println(g + ": no answer within " + timeoutSeconds + " s");
                    status = 1;
                } else if (a.has("ok") && a.get("ok").getAsBoolean()) {
                    out.println(g + ": " + text(a, "action") + (a.has("health") ? " (" + text(a, "health") + ")" : ""));
                } else {
                    out.println(g + ": REFUSED: " + text(a, "error"));
                    status = 1;
                }
            }
            return status;
        }
    }

    private int watch() throws Exception {
        try (FleetSession session = connect()) {
            session.listen((topic, payload) -> {
                String text = payload.length > 400 ? new String(payload, 0, 400, StandardCharsets.UTF_8) + "..."
                        : new String(payload, StandardCharsets.UTF_8);
                out.println(Instant.now() + " " + topic + " " + text);
                out.flush();
            });
            session.subscribe(root + "/+/status", root + "/+/info", root + "/+/config/+/result",
                    root + "/+/config/+/+/result");
            new CountDownLatch(1).await(); // until killed
            return 0;
        }
    }

    // ---- the broker ----

    private FleetSession connect() throws Exception {
        return FleetSession.open(broker, username, passwordFile, timeoutSeconds, out);
    }

    /** Subscribes and returns the retained messages per gateway (name to {status, info}). */
    private Map<String, Map<String, String>> snapshot(FleetSession session, String... filters) throws Exception {
        session.snapshot(root, filters);
        Map<String, Map<String, String>> gateways = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : session.retained().entrySet()) {
            String[] levels = e.getKey().split("/");
            if (levels.length == root.split("/").length + 2 && e.getValue().length > 0 && gateways.size() < MAX_GATEWAYS) {
                gateways.computeIfAbsent(levels[levels.length - 2], k -> new TreeMap<>())
                        .put(levels[levels.length - 1], new String(e.getValue(), StandardCharsets.UTF_8));
            }
        }
        return gateways;
    }

    // ---- reading what gateways said ----

    static JsonObject json(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String text(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? "-" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    private static String uptime(JsonObject info) {
        String s = text(info, "uptimeSeconds");
        try {
            long v = Long.parseLong(s);
            return v < 120 ? v + " s" : v < 7200 ? v / 60 + " min" : v < 172_800 ? v / 3600 + " h" : v / 86400 + " d";
        } catch (NumberFormatException e) {
            return "-";
        }
    }

    /** "3 sensors, 1 camera OPEN" or the ones that are not OPEN, with their state. */
    static String health(JsonObject info) {
        if (info == null) {
            return "(no info: remote.config off?)";
        }
        List<String> problems = new ArrayList<>();
        int total = 0;
        for (String kind : List.of("sensors", "cameras", "endpoints")) {
            JsonElement list = info.get(kind);
            if (list == null || !list.isJsonArray()) {
                continue;
            }
            for (JsonElement e : list.getAsJsonArray()) {
                total++;
                JsonObject o = e.isJsonObject() ? e.getAsJsonObject() : null;
                String state = text(o, "health");
                if (!state.equals("OPEN") && problems.size() < 5) {
                    problems.add(kind.substring(0, kind.length() - 1) + " " + text(o, "id") + " " + state);
                }
            }
        }
        return problems.isEmpty() ? "all " + total + " OPEN" : String.join(", ", problems);
    }
}
