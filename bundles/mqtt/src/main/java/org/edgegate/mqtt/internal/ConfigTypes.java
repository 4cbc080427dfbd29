package org.edgegate.mqtt.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.edgegate.api.health.Ids;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The typed configuration of a PID as its bundle declares it (Metatype, the same types the Web Console and
 * docs/configuration.md show): found by PID or factory PID, used to check a remote change before anything is
 * touched and to tell which keys are secrets.
 */
final class ConfigTypes {
    private final BundleContext context;
    private final Supplier<MetaTypeService> metatype;

    ConfigTypes(BundleContext context, Supplier<MetaTypeService> metatype) {
        this.context = context;
        this.metatype = metatype;
    }

    /** The type of this PID ({@code factory~name}: the factory's), or null when no bundle declares one. */
    ObjectClassDefinition of(String pid) {
        MetaTypeService mts = metatype.get();
        if (mts == null) {
            return null;
        }
        int tilde = pid.indexOf('~');
        String id = tilde < 0 ? pid : pid.substring(0, tilde);
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = mts.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            String[] ids = tilde < 0 ? info.getPids() : info.getFactoryPids();
            if (ids != null && Arrays.asList(ids).contains(id)) {
                return info.getObjectClassDefinition(id, null);
            }
        }
        return null;
    }

    /**
     * Why these values do not fit the type, or null: each value of a declared key is checked by its attribute
     * definition (number, boolean, range, options); keys the type does not declare (a sensor's
     * {@code homeassistant.*}) pass as text, as in an etc/ file.
     */
    static String check(ObjectClassDefinition ocd, Map<String, Object> properties) {
        AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            AttributeDefinition ad = find(ads, e.getKey());
            if (ad == null || e.getValue() == null) {
                continue;
            }
            String[] values = e.getValue() instanceof String[] a ? a : new String[] { (String) e.getValue() };
            if (ad.getCardinality() == 0 && values.length != 1) {
                return e.getKey() + " takes one value, not " + values.length;
            }
            for (String v : values) {
                String problem = ad.validate(v);
                if (problem != null && !problem.isEmpty()) {
                    return e.getKey() + ": '" + Ids.quote(v) + "' does not fit its type (" + describe(ad) + "): "
                            + problem.replace("%", "");
                }
            }
        }
        return null;
    }

    /** Whether a key's value is masked when the configuration is published: passwords, secrets, tokens, keys. */
    static boolean secret(ObjectClassDefinition ocd, String key) {
        AttributeDefinition ad = ocd == null ? null
                : find(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL), key);
        if (ad != null && ad.getType() == AttributeDefinition.PASSWORD) {
            return true;
        }
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.endsWith("key");
    }

    private static AttributeDefinition find(AttributeDefinition[] ads, String id) {
        if (ads != null) {
            for (AttributeDefinition ad : ads) {
                if (ad.getID().equals(id)) {
                    return ad;
                }
            }
        }
        return null;
    }

    private static String describe(AttributeDefinition ad) {
        String type = switch (ad.getType()) {
            case AttributeDefinition.INTEGER, AttributeDefinition.LONG, AttributeDefinition.SHORT,
                    AttributeDefinition.BYTE -> "a whole number";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "a number";
            case AttributeDefinition.BOOLEAN -> "true or false";
            default -> "text";
        };
        String[] options = ad.getOptionValues();
        return options != null && options.length > 0 ? type + ", one of " + Arrays.toString(options) : type;
    }
}
