package org.edgegate.it;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** What the MQTT process tests do to a gateway runtime: a fast sim board, and its broker's counters. */
final class MqttGateways {
    private MqttGateways() {
    }

    /** No camera (less load) and a sim board {@code fast} at 50 readings/s, in the runtime's etc/. */
    static void fastBoard(RuntimeProcess g) throws IOException {
        Path etc = g.home().resolve("etc");
        Files.deleteIfExists(etc.resolve("org.edgegate.camera-demo.cfg"));
        Files.writeString(etc.resolve("org.edgegate.serial.sensor-fast.cfg"), String.join("\n",
                "id = fast", "port = sim:th?rate=50", "parser = dash", "channels = T:temperature:\\u00b0C, H:humidity:%", ""));
    }

    /** {@code gw:mqtt --json} of the broker {@code id}. */
    static JsonObject counters(RuntimeProcess g, String id) {
        RuntimeProcess.Result r = g.cli("gw:mqtt", "--json");
        assertEquals(r.output(), 0, r.status());
        return broker(r.output(), id);
    }

    /** The entry of the broker {@code id} in the output of {@code gw:mqtt --json}. */
    static JsonObject broker(String gwMqttJson, String id) {
        JsonArray all = JsonParser.parseString(gwMqttJson.trim()).getAsJsonArray();
        for (JsonElement e : all) {
            if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no broker " + id + " in " + gwMqttJson);
    }
}
