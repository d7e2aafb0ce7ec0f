package org.aiscan.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.aiscan.fingerprint.RuleLoader;
import org.junit.jupiter.api.Test;

/** Which systemd units 'aiscan collect' records: the shipped rules' unit words against a listing. */
class CollectorTest {
    /** {@code systemctl list-units --type=service --all --plain --no-legend} of a GPU box (systemd 252). */
    private static final String LISTING = String.join("\n",
            "ollama.service                      loaded    active   running Ollama Service",
            "vllm-qwen.service                   loaded    active   running vLLM OpenAI server (Qwen2.5-7B)",
            "stable-diffusion-webui.service      loaded    inactive dead    AUTOMATIC1111 web UI",
            "prometheus-node-exporter.service    loaded    active   running Prometheus exporter for machine metrics",
            "jupyterhub.service                  loaded    active   running JupyterHub",
            "ssh.service                         loaded    active   running OpenBSD Secure Shell server",
            "cron.service                        loaded    active   running Regular background program processing daemon",
            "systemd-journald.service            loaded    active   running Journal Service",
            "docker.service                      loaded    active   running Docker Application Container Engine",
            "ollama.socket                       loaded    active   listening Ollama socket",
            "  ",
            "");

    @Test
    void theShippedRulesPickTheAiUnitsAndNothingElse() throws Exception {
        List<String> words = RuleLoader.usable(Path.of("rulesets")).unitWords();
        assertEquals(List.of("ollama.service", "vllm-qwen.service", "stable-diffusion-webui.service",
                "prometheus-node-exporter.service", "jupyterhub.service"), Collector.aiUnits(LISTING, words));
    }

    @Test
    void unitNamesMatchWhateverTheirCase() {
        assertEquals(List.of("ComfyUI.service"), Collector.aiUnits("ComfyUI.service loaded active running x\n", List.of("comfy")));
        assertEquals(List.of(), Collector.aiUnits("ComfyUI.service loaded active running x\n", List.of()));
    }
}
