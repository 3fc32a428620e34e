const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const {
  isInfraFailure,
  classify
} = require('./resilience/errors');

const sns = new SNSClient({});

exports.notify = async function notify(topicArn, message) {
  const err = null;
  try {
    return await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  } catch (e) {
    console.warn('sns down', e, isInfraFailure(e));
    throw classify(e);
  }
};

exports.publish = (topicArn, message) =>
  sns.send(new PublishCommand({ TopicArn: topicArn, Message: message })).catch(function(err) {
    console.error('publish failed');
    throw classify(err);
  });
