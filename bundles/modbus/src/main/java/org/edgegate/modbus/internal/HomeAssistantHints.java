package org.edgegate.modbus.internal;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service properties that tell the MQTT bridge how to offer a writable register to Home Assistant: the
 * state key its commands go to, a {@code switch} for a coil, a {@code number} with the range and step its
 * type and scale allow for a register.
 */
final class HomeAssistantHints {
    /** Beyond what a double carries exactly: floats and 64-bit integers get this range. */
    private static final BigDecimal WIDE = new BigDecimal("1e15");

    private HomeAssistantHints() {
    }

    static Map<String, Object> of(String deviceId, Register r) {
        Map<String, Object> p = new LinkedHashMap<>();
        String n = r.name();
        p.put(DeviceComponent.COMMAND + n, ModbusHub.WRITE_PREFIX + deviceId + "/" + n);
        if (r.type() == Register.Type.BOOL) {
            p.put("homeassistant.component." + n, "switch");
            return p;
        }
        BigDecimal[] raw = switch (r.type()) {
            case INT16 -> new BigDecimal[] {BigDecimal.valueOf(Short.MIN_VALUE), BigDecimal.valueOf(Short.MAX_VALUE)};
            case UINT16 -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.valueOf(0xFFFF)};
            case INT32 -> new BigDecimal[] {BigDecimal.valueOf(Integer.MIN_VALUE), BigDecimal.valueOf(Integer.MAX_VALUE)};
            case UINT32 -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.valueOf(0xFFFFFFFFL)};
            default -> new BigDecimal[] {WIDE.negate(), WIDE};
        };
        boolean exact = !r.type().floating() && r.type() != Register.Type.INT64;
        BigDecimal a = exact ? raw[0].multiply(r.scale()).add(r.offset()) : raw[0];
        BigDecimal b = exact ? raw[1].multiply(r.scale()).add(r.offset()) : raw[1];
        p.put("homeassistant.component." + n, "number");
        p.put("homeassistant.min." + n, a.min(b).doubleValue());
        p.put("homeassistant.max." + n, a.max(b).doubleValue());
        p.put("homeassistant.step." + n, r.type().floating() ? 0.001 : r.scale().abs().doubleValue());
        return p;
    }
}
