package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.admission.AdmissionKeys;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.ConditionalGenericConverter;

/**
 * Reads {@code llm.autoscale.admission.per-model-max-concurrency} written on one line,
 * {@code llama-13b=4,llama-70b=2}, as the servlet module does (the map form {@code ...per-model-max-concurrency.llama-13b=4}
 * binds without it). Matches only text converted to a {@code Map<String, Integer>}.
 */
final class PerModelLimitsConverter implements ConditionalGenericConverter {

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return Set.of(new ConvertiblePair(String.class, Map.class));
    }

    @Override
    public boolean matches(TypeDescriptor sourceType, TypeDescriptor targetType) {
        TypeDescriptor key = targetType.getMapKeyTypeDescriptor();
        TypeDescriptor value = targetType.getMapValueTypeDescriptor();
        return key != null && value != null && key.getType() == String.class && value.getType() == Integer.class;
    }

    @Override
    public @Nullable Object convert(@Nullable Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        String text = (String) source;
        return text == null || text.isBlank() ? Map.of() : AdmissionKeys.PER_MODEL_MAX_CONCURRENCY.parse(text);
    }
}
