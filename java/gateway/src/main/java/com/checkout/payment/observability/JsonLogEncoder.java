package com.checkout.payment.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line: {@code ts}, {@code level}, {@code logger}, {@code event} (the
 * message), then the event's key-value pairs and {@code exception} (the simulator's shape). This
 * is the one place masking happens: every string, nested ones too, passes {@link Masking#scrub},
 * and a field named like a payment token is masked whole, whoever logged it (Jetty included).
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final byte[] NEWLINE = {'\n'};

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("ts", DateTimeFormatter.ISO_INSTANT.format(
                    Instant.ofEpochMilli(event.getTimeStamp()).truncatedTo(ChronoUnit.MILLIS)));
            json.writeStringField("level", event.getLevel().toString().toLowerCase(Locale.ROOT));
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("event", Masking.scrub(event.getFormattedMessage()));
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    json.writeFieldName(Masking.scrub(pair.key));
                    MAPPER.writeTree(json, scrubbed(pair.key, tree(pair.value)));
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("exception",
                        Masking.scrub(ThrowableProxyUtil.asString(thrown)));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a log line failed to encode", e);
        }
        out.writeBytes(NEWLINE);
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    // A value Jackson cannot map (a stray object) is logged by its toString, still scrubbed.
    private static JsonNode tree(Object value) {
        try {
            return MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            return TextNode.valueOf(String.valueOf(value));
        }
    }

    private static JsonNode scrubbed(String name, JsonNode value) {
        if (value == null || value.isNull()) {
            return value;
        }
        if (Masking.isSecretField(name) && !value.isContainerNode()) {
            return TextNode.valueOf(Masking.maskToken(value.asText()));
        }
        if (value.isTextual()) {
            return TextNode.valueOf(Masking.scrub(value.textValue()));
        }
        if (value.isObject()) {
            ObjectNode copy = MAPPER.createObjectNode();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                copy.set(Masking.scrub(field.getKey()), scrubbed(field.getKey(), field.getValue()));
            }
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            value.forEach(item -> copy.add(scrubbed(name, item)));
            return copy;
        }
        return value;
    }
}
