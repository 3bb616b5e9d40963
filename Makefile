# Setup and entry points. `make demo` and `make test` install first when needed.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PIPC := $(PIP) install -c constraints.txt
STAMP := $(VENV)/.ffmm-installed
MINI := data/mini_widerface

.PHONY: install demo demo-train test bench clean-venv weights teacher-landmarks

install: $(STAMP) weights

$(STAMP): setup.py requirements.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# CPU build of torch that lies on this disk; a bare `torch` would pull CUDA.
	$(PIPC) -q torch==2.13.0 'numpy<2'
	# mmcv's setup imports pkg_resources, gone from newer setuptools; torch
	# declares setuptools>=77 but does not need it at run time.
	$(PIPC) -q 'setuptools<70' wheel ninja 2>&1 | grep -v 'setuptools>=77' || true
	$(PIPC) -q mmengine==0.10.7
	# mmcv 2.1.0 has no wheel for this torch: build it with its compiled ops,
	# unless the venv already has it (pip's wheel cache makes rebuilds cheap).
	$(PY) -c "import mmcv, mmcv.ops; assert mmcv.__version__ == '2.1.0'" 2>/dev/null || \
		MMCV_WITH_OPS=1 MAX_JOBS=2 $(PIPC) --no-build-isolation mmcv==2.1.0
	$(PIPC) -q -r requirements.txt
	$(PIPC) -q --no-build-isolation --no-deps -e .
	touch $(STAMP)

# Link the public pretrained weights from ../shared when the team's copy is
# there, and convert the trained detectors among them to ffmm checkpoints
# (weights/converted/, used as teacher and in the results table).
CONVERT := retinaface:retinaface_mnet025_widerface featherface:featherface_v1_widerface

weights: $(STAMP)
	@mkdir -p weights/converted
	@if [ -d ../shared/weights ]; then for f in ../shared/weights/*; do \
		ln -sf "$$(cd "$$(dirname $$f)" && pwd)/$$(basename $$f)" weights/; done; fi
	@for pair in $(CONVERT); do name=$${pair#*:}; \
		if [ -e weights/$$name.pth ] && [ ! -f weights/converted/$$name.pth ]; then \
		OMP_NUM_THREADS=1 $(PY) tools/convert_ckpt.py --from $${pair%%:*} \
			weights/$$name.pth weights/converted/$$name.pth || exit 1; fi; done

# FeatherFace V1's landmarks added to the boxes of the shared train split
# (WIDER val has none): the labels of the *_teacher_labels_* recipes.
TEACHER_LABELS := data/wider_split/train_v1_landmarks.txt
WIDER_VAL := ../shared/widerface_val

teacher-landmarks: $(TEACHER_LABELS)

$(TEACHER_LABELS): | install
	OMP_NUM_THREADS=1 $(PY) tools/dataset/teacher_landmarks.py \
		$(WIDER_VAL)/wider_face_train_bbx_gt.txt $(WIDER_VAL)/images $@

$(MINI)/.done: tools/dataset/make_mini_widerface.py | install
	$(PY) tools/dataset/make_mini_widerface.py $(MINI)
	touch $@

demo: install
	OMP_NUM_THREADS=1 $(PY) tools/demo.py --out-dir work_dirs/demo

demo-train: install $(MINI)/.done
	$(PY) tools/demo_mini_training.py --data-root $(MINI) \
		--work-dir work_dirs/demo_training

test: install
	$(PY) -m pytest -q tests

# The README's results table (tools/analysis/wider_benchmark.py) for the
# models at hand without training: the public V1 and RetinaFace converted by
# `make weights`, and the two shipped V2-Ultra models. Size, CPU latency (one thread)
# and Easy/Medium/Hard AP on the dev split of ../shared/widerface_val.
# Rerunning reuses the APs of unchanged checkpoints (--reuse-ap).
BENCH_DIR := work_dirs/make_bench
BENCH_MODELS := \
	configs/featherface/featherface_v1.py weights/converted/featherface_v1_widerface.pth \
	configs/retinaface/retinaface_mnet025_widerface.py weights/converted/retinaface_mnet025_widerface.pth \
	configs/featherface/ffv2_ultra_full_student.py checkpoints/ffv2_ultra_full_wider_split_distilled.pth \
	configs/featherface/ffv2_ultra_student.py checkpoints/ffv2_ultra_wider_split_distilled.pth

bench: install
	@test -d ../shared/widerface_val || { echo "make bench: needs" \
		"../shared/widerface_val (README: Data)"; exit 1; }
	OMP_NUM_THREADS=1 $(PY) tools/analysis/wider_benchmark.py $(BENCH_MODELS) \
		--names "FeatherFace V1 (public)" "RetinaFace-MobileNet-0.25 (public)" \
		"V2-Ultra full, every idea on (shipped)" \
		"V2-Ultra distilled (shipped, default)" --split dev --threads 1 \
		--out-dir $(BENCH_DIR) \
		$$(test -f $(BENCH_DIR)/wider_benchmark.json && echo --reuse-ap $(BENCH_DIR)/wider_benchmark.json)

clean-venv:
	rm -rf $(VENV)
