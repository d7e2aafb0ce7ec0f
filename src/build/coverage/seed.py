"""Seeds rulesets/coverage/peers.tsv from the research table of the peers' products
(../shared/research/peers/coverage.tsv, measured against AI-Infra-Guard, nuclei-templates, Tsunami
and aicheck) and the reasons in reasons.tsv:
  python3 src/build/coverage/seed.py ../shared/research/peers/coverage.tsv rulesets/coverage/peers.tsv src/build/coverage/reasons.tsv
Run once; the table is then kept by hand: a new rule adds its id to its row, a peer's
new product adds a row. `aiscan rules coverage` and PeerCoverageTest check it."""
import csv, sys

src, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(src), delimiter='\t'))
# products the research table marks 'no' that have a rule since (rule ids in rulesets/fingerprints)
NEW = {
    'Generic OpenAI-compatible API (unknown backend)': 'openai-compatible', 'Dagster': 'dagster',
    'Argo Workflows': 'argo-workflows', 'Kong Gateway (AI Gateway plugins)': 'kong', 'Bifrost (LLM gateway)': 'bifrost',
    'OpenHands (OpenDevin)': 'openhands', 'Letta (MemGPT) server': 'letta', 'MCP Inspector': 'mcp-inspector',
    'Apache Spark (master/app UI, REST)': 'spark', 'Helicone (self-hosted)': 'helicone', 'DocsGPT': 'docsgpt',
    'SuperAGI': 'superagi', 'Quivr': 'quivr', 'AgentGPT': 'agentgpt', 'Khoj': 'khoj', 'LangServe': 'langserve',
    'Agent Zero': 'agent-zero', 'Apache Zeppelin': 'zeppelin', 'Google ADK (dev UI / API server)': 'google-adk',
    'D-Tale': 'dtale', 'AgentScope Studio': 'agentscope-studio', 'Intel Neural Compressor (Neural Solution)': 'neural-solution',
    'TensorFlow Serving': 'tensorflow-serving', 'Devika': 'devika', 'GPT Academic': 'gpt-academic', 'Mage AI': 'mage-ai',
    'VectorAdmin': 'vector-admin', 'QAnything': 'qanything', 'Cognee': 'cognee', 'Hayhooks (Haystack)': 'hayhooks',
    'InstructLab': 'instructlab', 'WeKnora': 'weknora', 'Blinko': 'blinko', 'Sub2API (AI API gateway)': 'sub2api',
    '9Router (AI routing gateway)': 'nine-router', 'Baseten Truss server': 'truss', 'Kestra': 'kestra',
    'Hermes WebUI': 'hermes-webui', 'Pinchtab': 'pinchtab', 'Lumiverse': 'lumiverse', 'F5-TTS': 'f5-tts',
    'SearXNG (used as RAG search backend)': 'searxng', 'Agenta (LLMOps)': 'agenta', 'Feast feature store UI': 'feast',
    'Flyto2 Core': 'flyto-core', 'Paperclip': 'paperclip', 'BetterChatGPT': 'betterchatgpt', 'OmniRoute': 'omniroute',
    'JunoClaw': 'junoclaw', 'AutoGPT Forge (Agent Protocol server)': 'autogpt-forge',
    'n8n-mcp / meta-ads-mcp / netlicensing-mcp (named MCP servers)': 'n8n-mcp, mcp',
}
REASON = {l.split('\t')[0]: l.split('\t')[1].rstrip('\n') for l in open(sys.argv[3]) if '\t' in l and not l.startswith('#')} if len(sys.argv) > 3 else {}

def peers(r):
    p = []
    for name, col in (('AI-Infra-Guard', 2), ('nuclei-templates', 3), ('Tsunami', 4)):
        if r[col].strip() not in ('', '-'):
            p.append(name)
    other = r[5]
    if 'aicheck' in other:
        p.append('aicheck')
    if 'sfp_' in other:
        p.append('SpiderFoot sfp_ai_fingerprint')
    return ', '.join(p)

with open(out, 'w') as f:
    f.write('# The products the peers detect, each with the aiscan rules that identify it or why none does.\n')
    f.write('# Seeded by src/build/coverage/seed.py from research/peers/coverage.tsv; kept by hand since.\n')
    f.write('# Checked by `aiscan rules coverage` and PeerCoverageTest: a row needs a rule id or a reason.\n')
    f.write('product\tclass\tpeers\taiscan\treason\n')
    for r in rows[1:]:
        rule = r[6].strip()
        ids = '' if rule.startswith('no') else ', '.join(x.strip() for x in rule.replace(';', ',').split(','))
        if not ids and r[0] in NEW:
            ids = NEW[r[0]]
        reason = '' if ids else REASON.get(r[0], '')
        f.write('\t'.join([r[0], r[1], peers(r) or 'none (aiscan only)', ids, reason]) + '\n')
