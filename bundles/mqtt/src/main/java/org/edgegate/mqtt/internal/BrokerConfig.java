package org.edgegate.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype of the factory PID {@value MqttBroker#PID}: one configuration per broker. Keys with a dot
 * ({@code password.file}, {@code journal.maxMiB}) are written with an underscore here, as DS maps them.
 * Defaults live here only; {@link MqttSettings} checks the values and names the bad key.
 */
@ObjectClassDefinition(id = MqttBroker.PID, name = "EdgeGate MQTT broker",
        description = "One MQTT broker the gateway publishes to: readings, state and camera pictures, Home Assistant "
                + "discovery, commands back under an allow-list, and a store-and-forward journal for outages.")
@interface BrokerConfig {

    @AttributeDefinition(name = "Id", description = "Name of this broker connection, unique among brokers (gw:mqtt, "
            + "gw:status, the journal folder data/mqtt/<id>/).")
    String id();

    @AttributeDefinition(name = "Broker URI", description = "tcp://host:1883 for plain MQTT, ssl://host:8883 for TLS. "
            + "A clustered broker: its nodes separated by commas (at most 16, one scheme), tried in this order; when "
            + "the node in use goes, the connection moves to the next one.")
    String uri() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(name = "User name", description = "MQTT user name; empty: anonymous.", required = false)
    String username() default "";

    @AttributeDefinition(name = "Password", description = "MQTT password (prefer a password file). The key is "
            + ".password: a leading dot keeps it out of the service registry (the old key password still works, "
            + "with a warning).", type = AttributeType.PASSWORD, required = false)
    String _password() default "";

    @AttributeDefinition(name = "Password file", description = "File holding the password (first line), relative "
            + "to the gateway's etc/ folder; used when Password is empty.", required = false)
    String password_file() default "";

    @AttributeDefinition(name = "CA certificate", description = "ssl:// only: PEM file of the certificate authority "
            + "that signed the broker's certificate (relative to etc/). Empty: the JVM's trusted authorities.",
            required = false)
    String ca_file() default "";

    @AttributeDefinition(name = "Client certificate", description = "ssl:// only: PEM certificate presented to the "
            + "broker (relative to etc/); with Client key.", required = false)
    String cert_file() default "";

    @AttributeDefinition(name = "Client key", description = "ssl:// only: PEM private key (PKCS#8, unencrypted) of "
            + "the client certificate (relative to etc/).", required = false)
    String key_file() default "";

    @AttributeDefinition(name = "Client id", description = "MQTT client id, unique on the broker. Empty: "
            + "edgegate-<gateway>-<id>.", required = false)
    String clientId() default "";

    @AttributeDefinition(name = "Gateway name", description = "This gateway's name, in every topic and JSON header, "
            + "so a collector tells gateways apart. Empty: the host name.", required = false)
    String gateway() default "";

    @AttributeDefinition(name = "Topic prefix", description = "Prefix of every topic. Empty: edgegate/<gateway>.",
            required = false)
    String topicPrefix() default "";

    @AttributeDefinition(name = "Sensors", description = "Sensor ids whose readings are published; empty: all.",
            required = false)
    String[] sensors() default {};

    @AttributeDefinition(name = "State prefixes", description = "State key prefixes published as retained "
            + "<prefix>/state/<key> messages (camera/, sensor/th/ ...); empty: none.", required = false)
    String[] state_prefixes() default { "camera/" };

    @AttributeDefinition(name = "Cameras", description = "Camera ids whose pictures are published; empty: all; "
            + "- (a dash): none.", required = false)
    String[] cameras() default {};

    @AttributeDefinition(name = "Camera rate", description = "Pictures per second per camera at most (for "
            + "dashboards, not video). 0: no pictures.", type = AttributeType.DOUBLE, min = "0", max = "30")
    double camera_maxFps() default 1;

    @AttributeDefinition(name = "QoS", description = "MQTT quality of service of readings and state: 0 (at most once, "
            + "never journaled) or 1 (at least once, journaled while the broker is away).",
            options = { @Option(label = "0", value = "0"), @Option(label = "1", value = "1") })
    int qos() default 1;

    @AttributeDefinition(name = "QoS of plain values", description = "MQTT quality of service of the plain-text "
            + "channel values (<prefix>/sensor/<id>/<channel>): latest values, never journaled either way. 0 spares "
            + "a clustered broker most of its work (on NATS a QoS 1 message is stored in a replicated stream); "
            + "-1: the same as QoS.",
            options = { @Option(label = "same as QoS", value = "-1"), @Option(label = "0", value = "0"),
                    @Option(label = "1", value = "1") })
    int plain_qos() default -1;

    @AttributeDefinition(name = "Home Assistant discovery", description = "Publish Home Assistant MQTT discovery "
            + "configs so sensors and cameras appear in Home Assistant with no YAML.")
    boolean homeassistant() default true;

    @AttributeDefinition(name = "Home Assistant prefix", description = "Home Assistant's discovery prefix.")
    String homeassistant_prefix() default "homeassistant";

    @AttributeDefinition(name = "Commands allowed", description = "State key prefixes that MQTT may write through "
            + "<prefix>/state/<key>/set. Empty: commands are refused.", required = false)
    String[] commands_allow() default { "camera/" };

    @AttributeDefinition(name = "Journal size", description = "MiB of disk the store-and-forward journal "
            + "(data/mqtt/<id>/) may use; when full, the oldest messages are dropped and counted.", min = "1")
    int journal_maxMiB() default 64;

    @AttributeDefinition(name = "Journal sync", description = "Milliseconds between fsyncs of the journal while "
            + "writing to it: what a power cut can lose at most. 0: fsync every write (slow on SD cards).", min = "0")
    int journal_syncMillis() default 1000;

    @AttributeDefinition(name = "Replay rate", description = "Journaled messages per second sent at most when the "
            + "broker is back, so a long outage does not flood it.", min = "1")
    int replay_rate() default 2000;

    @AttributeDefinition(name = "Max in flight", description = "QoS 1 messages sent and not yet acknowledged, at "
            + "most (Paho's default is 10, too small for a sensor stream).", min = "10", max = "65535")
    int maxInflight() default 1000;

    @AttributeDefinition(name = "Keep alive", description = "Seconds between MQTT pings when idle; a dead broker is "
            + "noticed within about 1.5 times this.", min = "2")
    int keepAlive() default 30;

    @AttributeDefinition(name = "Reconnect back-off", description = "Longest wait between reconnect attempts, in "
            + "seconds (the first is 0.5 s, doubling with jitter).", min = "1")
    int reconnect_maxSeconds() default 30;

    @AttributeDefinition(name = "Remote configuration", description = "Fleet operations over this broker: a "
            + "retained <prefix>/info (version, uptime, bundles, sensors and cameras with health), the allowed "
            + "configurations retained under <prefix>/config/<pid> (secrets masked), and changes to them published "
            + "to <prefix>/config/<pid>/set or /delete, answered on /result (in place of <pid>: sensor/<id> or "
            + "camera/<id>, the one with that id). Off: none of it.")
    boolean remote_config() default false;

    @AttributeDefinition(name = "Remote configuration allowed", description = "PIDs that remote configuration may "
            + "read and change: a PID, or a prefix ending in * (org.edgegate.serial.sensor~* is every sensor).",
            required = false)
    String[] remote_config_allow() default { "org.edgegate.serial.sensor~*", "org.edgegate.camera~*" };
}
