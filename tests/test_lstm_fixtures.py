"""course.lstm's test fixtures for notebook 06 behave as its test cells rely on."""

from __future__ import annotations

import torch
from torch import nn

from course.lstm import (
    BagModel,
    DeviceSpyLoss,
    DeviceSpyModel,
    SumModel,
    TinyLSTMClassifier,
    seeded,
    seeded_counting_lstm,
    sum_model_classes,
    two_batches,
)


def test_seeded_is_repeatable_and_counting_lstm_records_shapes():
    a = seeded(nn.Linear(3, 2), torch.Generator().manual_seed(1))
    b = seeded(nn.Linear(3, 2), torch.Generator().manual_seed(1))
    assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)
    lstm = seeded_counting_lstm(torch.Generator().manual_seed(2), 4, 5)
    lstm(torch.zeros(2, 3, 4))
    assert lstm.batch_first and lstm.seen == [(2, 3, 4)]


def test_sum_model_predicts_what_sum_model_classes_says_and_records_calls():
    model = SumModel(classes=5)
    ids = torch.tensor([[3, 4, 0], [1, 0, 0]])
    pred = model(ids, torch.tensor([2, 1])).argmax(dim=1).tolist()
    assert pred == sum_model_classes([[3, 4], [1]]) == [(7 + 2) % 5, (1 + 1) % 5]
    assert model.calls[0]["size"] == 2 and model.calls[0]["lengths"] == "cpu"


def test_bag_model_two_batches_and_tiny_classifier_shapes():
    batches = two_batches(torch.Generator().manual_seed(3))
    assert [tuple(ids.shape) for ids, _, _ in batches] == [(3, 4), (4, 4)]
    ids, lengths, labels = batches[0]
    assert BagModel()(ids, lengths).shape == (3, 3) and labels.max() < 3
    tiny = TinyLSTMClassifier(10, 3, 4, 2, bidirectional=True)
    assert set(dict(tiny.named_children())) == {"embedding", "lstm", "fc"} and tiny.fc.in_features == 8


def test_seeded_ignores_the_order_in_which_layers_are_defined():
    class AB(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(2, 2), nn.Linear(3, 1)

    class BA(nn.Module):
        def __init__(self):
            super().__init__()
            self.b, self.a = nn.Linear(3, 1), nn.Linear(2, 2)

    ab, ba = seeded(AB(), torch.Generator().manual_seed(3)), seeded(BA(), torch.Generator().manual_seed(3))
    assert all(torch.equal(p, ba.state_dict()[k]) for k, p in ab.state_dict().items())


def test_device_spies_record_where_tensors_live_and_still_compute_on_the_cpu():
    ids, lengths, labels = two_batches(torch.Generator().manual_seed(0))[0]
    spy, spy_loss = DeviceSpyModel(ids), DeviceSpyLoss(labels)
    assert spy.to("meta") is spy and spy.moved_to == "meta"
    loss = spy_loss(spy(ids.to("meta"), lengths), labels.to("meta"))
    loss.backward()
    assert spy.seen == {"ids": "meta", "lengths": "cpu", "training": True} and spy_loss.seen == "meta"
    assert loss.device.type == "cpu" and spy.fc.weight.grad is not None
